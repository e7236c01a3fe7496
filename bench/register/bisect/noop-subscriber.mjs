// What a subscriber of Node's request-start channel costs alone (register's only per-request hook): a no-op.
import dc from 'node:diagnostics_channel';

dc.subscribe('http.server.request.start', () => {});
