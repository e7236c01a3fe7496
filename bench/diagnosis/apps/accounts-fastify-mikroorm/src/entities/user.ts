import { EntitySchema } from '@mikro-orm/core';

export type AccountStatus = 'active' | 'suspended' | 'pending';
export type AccountPlan = 'free' | 'pro' | 'team';

export interface User {
  id: number;
  email: string;
  fullName: string;
  passwordHash: string;
  status: AccountStatus;
  plan: AccountPlan;
  country: string;
  createdAt: Date;
  lastLoginAt?: Date | null;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    email: { type: 'string', length: 255, unique: true },
    fullName: { type: 'string', length: 120 },
    passwordHash: { type: 'string', length: 128, lazy: false },
    status: { type: 'string', length: 16, default: 'pending' },
    plan: { type: 'string', length: 16, default: 'free' },
    country: { type: 'string', length: 2 },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    lastLoginAt: { type: 'Date', nullable: true },
  },
});
