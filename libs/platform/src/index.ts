export {
  kafkaServicePlatform,
  type KafkaServicePlatformOptions,
  type PlatformConfig,
  servicePlatform,
  type ServicePlatformOptions,
} from './service-platform';
export { type CityDataUpsert, citySeedCommand, seedCityData, type SeedResult } from './seed-city-data';
export { Clock, SystemClock } from './clock';
