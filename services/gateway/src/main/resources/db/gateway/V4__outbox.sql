-- Events waiting for the relay, written in the same transaction as the change they report
-- (io.meshcode.core.outbox.Outbox.DDL): the gateway reports an owner key's revocation on
-- mesh.auth, so every replica closes the streams that key opened.
CREATE TABLE outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
