'use strict';

const { createApp } = require('./app');

const PORT = Number(process.env.PORT) || 4637;

createApp().listen(PORT, '127.0.0.1', () => {
  console.log(`invoicing api listening on http://127.0.0.1:${PORT}`);
});
