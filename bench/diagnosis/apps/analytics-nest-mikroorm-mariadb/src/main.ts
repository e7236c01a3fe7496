import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 4636);
  await app.listen(port, '127.0.0.1');
  console.log(`analytics api listening on http://127.0.0.1:${port}`);
}

void bootstrap();
