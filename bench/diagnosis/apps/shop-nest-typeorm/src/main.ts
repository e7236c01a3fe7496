import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT || 4312);
  await app.listen(port, '127.0.0.1');
  console.log(`shop catalogue listening on http://127.0.0.1:${port}`);
}

bootstrap();
