// The live channel: the server's Vert.x SockJS event-bus bridge at /ui/bus, spoken in its JSON
// frames (register, unregister, ping; rec and err come back). One connection per page, opened by
// the first subscription and closed with the last; lost connections come back with backoff.
// body[data-live="true"] while connected.

const SOCKJS_JS = '/ui/vendor/sockjs/sockjs.min.js';
const PING_MS = 5000; // the bridge drops a socket that stays silent (its ping timeout)
const MAX_BACKOFF_MS = 30000;

let sockJsLoading = null;
function loadSockJs() {
  sockJsLoading = sockJsLoading || new Promise((resolve, reject) => {
    if (window.SockJS) { resolve(); return; }
    const script = document.createElement('script');
    script.src = SOCKJS_JS;
    script.onload = resolve;
    script.onerror = () => { sockJsLoading = null; reject(new Error('no SockJS')); };
    document.head.appendChild(script);
  });
  return sockJsLoading;
}

class Bus {
  constructor(url) {
    this.url = url;
    this.handlers = new Map(); // address -> Set of functions taking the body
    this.socket = null;
    this.backoff = 1000;
    this.retry = null;
  }

  subscribe(address, onMessage) {
    if (!this.handlers.has(address)) {
      this.handlers.set(address, new Set());
      this.send({ type: 'register', address });
    }
    this.handlers.get(address).add(onMessage);
    if (!this.socket && !this.retry) this.connect();
    return () => {
      const set = this.handlers.get(address);
      if (!set || !set.delete(onMessage) || set.size > 0) return;
      this.handlers.delete(address);
      this.send({ type: 'unregister', address });
      if (this.handlers.size === 0) this.close();
    };
  }

  get live() { return !!this.socket && this.socket.readyState === 1; }

  send(frame) { if (this.live) this.socket.send(JSON.stringify(frame)); }

  async connect() {
    this.retry = null;
    try { await loadSockJs(); } catch (e) { this.reconnect(); return; }
    if (this.handlers.size === 0) return;
    const socket = new window.SockJS(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoff = 1000;
      document.body.dataset.live = 'true';
      for (const address of this.handlers.keys()) this.send({ type: 'register', address });
      this.pinger = setInterval(() => this.send({ type: 'ping' }), PING_MS);
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'rec') {
        for (const handle of this.handlers.get(frame.address) || []) handle(frame.body);
      } else if (frame.type === 'err') {
        console.warn('live updates refused:', frame.body || frame.message || frame);
      }
    };
    socket.onclose = () => {
      clearInterval(this.pinger);
      delete document.body.dataset.live;
      if (this.socket === socket) { this.socket = null; this.reconnect(); }
    };
  }

  reconnect() {
    if (this.handlers.size === 0 || this.retry) return;
    this.retry = setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }

  close() {
    clearTimeout(this.retry);
    this.retry = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
    clearInterval(this.pinger);
    delete document.body.dataset.live;
  }
}

let shared = null;

/** The page's bus (one connection, shared by every subscriber). */
export function bus() {
  shared = shared || new Bus('/ui/bus');
  return shared;
}

/** Calls onMessage with each notice's body sent to address; returns the unsubscribe function. */
export function subscribe(address, onMessage) {
  return bus().subscribe(address, onMessage);
}
