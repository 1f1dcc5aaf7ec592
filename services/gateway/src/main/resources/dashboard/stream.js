// The live feed: one WebSocket to the gateway's stream (docs/STREAM.md), following the selected
// meshwork and resuming after the last entry seen when it reconnects, so nothing is missed and
// nothing repeats. Entries that arrive while the panels load their snapshot are held and handed
// over after, so a change logged during a read is never overwritten by it.
import { ROOT, getCredential } from "./core.js";

const MAX_HELD = 20000;

export class Stream {
  /**
   * @param handlers onEntry(entry), onSubscribed(meshwork, resumed), onState(state, text),
   *                 onEnded(reason) for a credential that no longer holds, onError(message)
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.socket = null;
    this.meshwork = null;
    this.subscribed = null;
    this.lastSeq = null;
    this.holding = false;
    this.held = [];
    this.delay = 1000;
    this.timer = null;
    this.stopped = false;
  }

  /**
   * Follows another meshwork from the entry after `head` (the newest seq when the page looked),
   * so even a reconnect before any entry arrived resumes without a gap.
   */
  follow(meshwork, head) {
    this.meshwork = meshwork;
    this.lastSeq = head;
    this.held = [];
    this.holding = true;
    if (this.socket && this.socket.ready) {
      this.subscribe();
    } else if (!this.socket) {
      this.connect();
    }
  }

  /** Connects and authenticates now, so following a meshwork later costs one frame, not a handshake. */
  open() {
    if (!this.socket && !this.stopped) {
      this.connect();
    }
  }

  /** Ends holding: the panels have their snapshot of `meshwork`; held entries are applied now. */
  release(meshwork) {
    if (meshwork !== this.meshwork) {
      return;
    }
    this.holding = false;
    const held = this.held;
    this.held = [];
    held.forEach((entry) => this.deliver(entry));
  }

  stop(reason) {
    this.stopped = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.close(1000, reason || "closed");
    }
  }

  url() {
    const address = new URL("v1/stream", ROOT);
    address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
    return address.toString();
  }

  connect() {
    clearTimeout(this.timer);
    if (this.stopped) {
      return;
    }
    this.handlers.onState("connecting", "connecting…");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.subscribed = null;
    // A browser cannot set headers on a WebSocket: the credential goes in the first frame.
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", key: getCredential() }));
    socket.onmessage = (message) => {
      if (this.socket !== socket) {
        return;
      }
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      this.onFrame(socket, frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.subscribed = null;
      if (event.code === 4401) {
        this.stopped = true;
        this.handlers.onEnded(event.reason || "the credential no longer holds");
        return;
      }
      if (this.stopped) {
        return;
      }
      this.handlers.onState("down", "disconnected: reconnecting in " + Math.round(this.delay / 1000) + " s…");
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    };
  }

  /** Reconnects at once (the banner's button). */
  retry() {
    this.delay = 1000;
    if (!this.socket && !this.stopped) {
      this.connect();
    }
  }

  onFrame(socket, frame) {
    switch (frame.type) {
      case "ready":
        socket.ready = true;
        this.delay = 1000;
        this.subscribe();
        break;
      case "subscribed":
        if (frame.meshwork === this.meshwork) {
          this.handlers.onState("live", "live");
          this.handlers.onSubscribed(frame.meshwork, frame.after !== undefined && frame.after !== null);
        }
        break;
      case "entry":
        if (frame.meshwork === this.meshwork) {
          if (this.holding) {
            if (this.held.length < MAX_HELD) {
              this.held.push(frame.entry);
            }
          } else {
            this.deliver(frame.entry);
          }
        }
        break;
      case "unsubscribed":
        if (frame.meshwork === this.meshwork && this.subscribed === frame.meshwork) {
          // The gateway ended it (its log could not be read): follow again shortly.
          this.subscribed = null;
          this.handlers.onState("down", "reconnecting…");
          setTimeout(() => {
            if (this.socket === socket && !this.subscribed) {
              this.subscribe();
            }
          }, 2000);
        }
        break;
      case "error":
        this.handlers.onError(frame.error && frame.error.message ? frame.error.message : "the stream refused a request");
        break;
      default:
        break;
    }
  }

  subscribe() {
    const socket = this.socket;
    if (!socket || !this.meshwork) {
      return;
    }
    if (this.subscribed && this.subscribed !== this.meshwork) {
      socket.send(JSON.stringify({ type: "unsubscribe", meshwork: this.subscribed }));
    }
    if (this.subscribed === this.meshwork) {
      return;
    }
    const frame = { type: "subscribe", meshwork: this.meshwork };
    if (this.lastSeq !== null) {
      frame.after = this.lastSeq;
    }
    this.subscribed = this.meshwork;
    socket.send(JSON.stringify(frame));
  }

  deliver(entry) {
    if (this.lastSeq !== null && entry.seq <= this.lastSeq) {
      return;
    }
    this.lastSeq = entry.seq;
    this.handlers.onEntry(entry);
  }
}
