import { Logger } from '@nestjs/common';

// Keeps expected warnings out of the test output; specs that assert on logs spy on Logger.prototype.
Logger.overrideLogger(false);
