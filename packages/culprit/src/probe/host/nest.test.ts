// What module mode takes for a Nest root module or a created Nest application,
// on the real @nestjs packages.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appAdapters } from './adapters.js';
import { isNestApplication, isNestModule } from './nest.js';

// decorators applied by hand: culprit's own sources compile without experimentalDecorators
class HelloController {
  hello(): { hello: string } {
    return { hello: 'nest' };
  }
}
Get()(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello')!);
Controller('hello')(HelloController);

class RootModule {}
Module({ controllers: [HelloController] })(RootModule);

class PlainClass {}

test('a class decorated with @Module is a Nest module; other classes and values are not', () => {
  assert.equal(isNestModule(RootModule), true);
  assert.equal(isNestModule(PlainClass), false);
  assert.equal(
    isNestModule(() => undefined),
    false,
  );
  assert.equal(isNestModule({ imports: [] }), false);
});

test('the root module is served through a Nest application of its own, on an unlistened server', async () => {
  const adapter = appAdapters.find((candidate) => candidate.detect(RootModule));
  assert.equal(adapter?.id, 'nest');
  const server = await adapter.toServer(RootModule, import.meta.filename ?? new URL(import.meta.url).pathname);
  assert.ok(server instanceof http.Server);
  assert.equal(server.listening, false);
  // what a request gets: the controller's answer
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const body = await (await fetch(`http://127.0.0.1:${port}/hello`)).json();
  server.close();
  assert.deepEqual(body, { hello: 'nest' });
});

test('a created application is recognized and initialised, not listened', async () => {
  const app = await NestFactory.create(RootModule, { logger: false });
  assert.equal(isNestApplication(app), true);
  assert.equal(isNestApplication({ init() {}, getHttpServer() {} }), false);
  const adapter = appAdapters.find((candidate) => candidate.detect(app));
  assert.equal(adapter?.id, 'nest');
  const server = await adapter.toServer(app, '');
  assert.equal(server, app.getHttpServer());
  assert.equal(server.listening, false);
  await app.close();
});
