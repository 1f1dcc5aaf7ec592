-- A fifth status, online: a live session that has shown no activity since it opened (connected,
-- not yet started). Opening a session, or taking one over, now clears last_activity_at
-- (SessionRepository.HOLD_LEASE), so a null there means "nothing done in this session yet"; tool
-- calls, busy heartbeats and waits that hand over messages set it. A wait that parks or ends empty
-- leaves it as it is: once that wait is over, an agent that did nothing is online again. Rows
-- already live keep the activity they have, and with it working or idle.

-- The one definition of an agent's status, in this order: offline without a live lease; waiting
-- while a wait is parked; online with no activity since the session opened; working after
-- activity within idle_seconds; else idle.
CREATE OR REPLACE FUNCTION agent_status(lease_expires_at timestamptz, last_activity_at timestamptz, waiting_until timestamptz,
                                        idle_seconds integer, at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN lease_expires_at IS NULL OR lease_expires_at <= at THEN 'offline'
    WHEN waiting_until > at THEN 'waiting'
    WHEN last_activity_at IS NULL THEN 'online'
    WHEN last_activity_at > at - idle_seconds * interval '1 second' THEN 'working'
    ELSE 'idle'
  END
$$;
