import { EntityManager } from '@mikro-orm/postgresql';
import { User, UserSchema } from '../entities/user';

export interface PublicUser {
  id: number;
  email: string;
  fullName: string;
  status: string;
  plan: string;
  country: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    status: user.status,
    plan: user.plan,
    country: user.country,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt ?? null,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AccountService {
  constructor(private readonly em: EntityManager) {}

  private get users() {
    return this.em.getRepository(UserSchema);
  }

  async getById(id: number): Promise<User | null> {
    return this.users.findOne({ id });
  }

  async findByEmail(email: string): Promise<User | null> {
    const wanted = normalizeEmail(email);
    const users = await this.users.findAll();
    return users.find((u) => u.email === wanted) ?? null;
  }

  async listByPlan(plan: string, limit: number, offset: number): Promise<{ items: User[]; total: number }> {
    const [items, total] = await this.users.findAndCount(
      { plan: plan as User['plan'] },
      { orderBy: { id: 'asc' }, limit, offset },
    );
    return { items, total };
  }

  async suspend(id: number): Promise<User | null> {
    const user = await this.users.findOne({ id });
    if (!user) return null;
    user.status = 'suspended';
    await this.em.flush();
    return user;
  }
}
