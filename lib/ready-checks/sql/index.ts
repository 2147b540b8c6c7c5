import { drizzleReadyCheck } from './drizzle.check.js';
import { knexReadyCheck } from './knex.check.js';
import { mikroOrmReadyCheck } from './mikroorm.check.js';
import { mysql2ReadyCheck } from './mysql2.check.js';
import { pgReadyCheck } from './pg.check.js';
import { prismaReadyCheck } from './prisma.check.js';
import { sequelizeReadyCheck } from './sequelize.check.js';
import { typeormReadyCheck } from './typeorm.check.js';

/** Ready-made SQL checks: the dialect's `SELECT 1` through the client the application already has. */
export const sqlChecks = {
  typeorm: typeormReadyCheck,
  sequelize: sequelizeReadyCheck,
  mikroorm: mikroOrmReadyCheck,
  prisma: prismaReadyCheck,
  drizzle: drizzleReadyCheck,
  knex: knexReadyCheck,
  pg: pgReadyCheck,
  mysql2: mysql2ReadyCheck,
};

export { checkDrizzle, isDrizzle } from './drizzle.check.js';
export type { DrizzleCheckOptions, DrizzleLike } from './drizzle.check.js';
export { checkKnex, isKnex } from './knex.check.js';
export type { KnexCheckOptions, KnexLike } from './knex.check.js';
export { checkMikroOrm, isMikroOrm } from './mikroorm.check.js';
export type { MikroOrmCheckOptions, MikroOrmLike } from './mikroorm.check.js';
export { checkMysql2, isMysql2Client } from './mysql2.check.js';
export type { Mysql2CheckOptions, Mysql2Like } from './mysql2.check.js';
export { checkPg, isPgClient } from './pg.check.js';
export type { PgCheckOptions, PgLike } from './pg.check.js';
export { checkPrisma, isPrismaClient } from './prisma.check.js';
export type { PrismaCheckOptions, PrismaClientLike } from './prisma.check.js';
export { checkSequelize, isSequelize } from './sequelize.check.js';
export type {
  SequelizeCheckOptions,
  SequelizeLike,
} from './sequelize.check.js';
export { checkTypeorm, isTypeormDataSource } from './typeorm.check.js';
export type {
  TypeormCheckOptions,
  TypeormDataSourceLike,
} from './typeorm.check.js';
