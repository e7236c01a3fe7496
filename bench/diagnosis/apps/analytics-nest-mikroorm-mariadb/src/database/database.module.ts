import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/mariadb';
import config from './mikro-orm.config';

export const ORM = Symbol('MIKRO_ORM');

@Global()
@Module({
  providers: [
    {
      provide: ORM,
      useFactory: () => MikroORM.init(config),
    },
  ],
  exports: [ORM],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}
