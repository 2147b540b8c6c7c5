import { mongodbReadyCheck } from './mongodb.check.js';
import { mongooseReadyCheck } from './mongoose.check.js';

/** Ready-made MongoDB checks: `ping` through mongoose or the MongoDB driver. */
export const mongoChecks = {
  mongoose: mongooseReadyCheck,
  mongodb: mongodbReadyCheck,
};

export { checkMongodb, isMongoClient } from './mongodb.check.js';
export type { MongoClientLike, MongodbCheckOptions } from './mongodb.check.js';
export { checkMongoose, isMongooseClient } from './mongoose.check.js';
export type {
  MongooseCheckOptions,
  MongooseClientLike,
} from './mongoose.check.js';
