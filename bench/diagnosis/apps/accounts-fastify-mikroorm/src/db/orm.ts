import { MikroORM } from '@mikro-orm/postgresql';
import config from './config';

let ormPromise: Promise<MikroORM> | undefined;

export function getOrm(): Promise<MikroORM> {
  if (!ormPromise) {
    ormPromise = MikroORM.init(config);
  }
  return ormPromise;
}
