import { Controller, Get } from '@nestjs/common';

/** An ordinary route of the application, untouched by the health module. */
@Controller()
export class AppController {
  @Get()
  hello(): { message: string } {
    return { message: 'Hello from the nestjs-healthcheck sample' };
  }
}
