import { Controller, Get } from '@nestjs/common';
import { applySwaggerDocs } from '../../lib/swagger/swagger-loader.js';

@Controller('x')
class SomeController {
  @Get()
  report(): void {}
}

describe('applySwaggerDocs', () => {
  const options = {
    successStatus: 200,
    failedStatus: 500,
    format: 'json' as const,
  };

  it('does nothing, and does not fail, when @nestjs/swagger is not installed', async () => {
    const notInstalled = () =>
      Promise.reject(new Error("Cannot find package '@nestjs/swagger'"));
    await expect(
      applySwaggerDocs({ health: SomeController }, true, options, notInstalled),
    ).resolves.toBeUndefined();
    expect(
      Reflect.getMetadataKeys(SomeController.prototype.report),
    ).not.toContain('swagger/apiOperation');
  });
});
