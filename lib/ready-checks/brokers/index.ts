import { amqp } from './amqp.check.js';
import { kafka } from './kafka.check.js';
import { microservice } from './microservice.check.js';
import { mqtt } from './mqtt.check.js';
import { nats } from './nats.check.js';

export { checkAmqp, type AmqpCheckOptions } from './amqp.check.js';
export {
  checkKafka,
  releaseKafkaAdmin,
  type KafkaCheckOptions,
} from './kafka.check.js';
export {
  checkMicroservice,
  type MicroserviceCheckOptions,
  type MicroserviceRunOptions,
} from './microservice.check.js';
export { checkMqtt, type MqttCheckOptions } from './mqtt.check.js';
export { checkNats, type NatsCheckOptions } from './nats.check.js';
export {
  isAmqpChannel,
  isAmqpClient,
  isAmqpConnection,
} from './amqp-client.js';
export { isKafka, isKafkaAdmin, isKafkaClient } from './kafka-client.js';
export { isClientProxy } from './microservice-client.js';
export { isMqttClient } from './mqtt-client.js';
export { isNatsConnection } from './nats-client.js';

/** The broker family of the `checks` namespace. */
export const brokerChecks = { amqp, kafka, nats, mqtt, microservice };
