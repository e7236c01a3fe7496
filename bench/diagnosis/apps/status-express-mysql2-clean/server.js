'use strict';

const { createApp } = require('./app');

const PORT = Number(process.env.PORT) || 4639;

createApp().listen(PORT, '127.0.0.1', () => {
  console.log(`status dashboard api listening on http://127.0.0.1:${PORT}`);
});
