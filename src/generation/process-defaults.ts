import type { GenerationConfig } from '../infra/config.js';
import { CircuitBreakerRegistry } from './circuit-breaker.js';
import { systemClock, type Clock } from './clock.js';
import { GenerationTelemetry } from './telemetry.js';

/**
 * Process-wide defaults, for callers that do not inject their own (the server passes its own).
 * Kept apart from the generation pipeline so that `dspec://status` can read them without
 * loading the validation gate.
 */
export const defaultTelemetry = new GenerationTelemetry();
const defaultBreakers = new Map<string, CircuitBreakerRegistry>();

/** Circuit states of the process-wide breakers (the ones used when `deps.breakers` is not given). */
export function circuitStates() {
  return [...defaultBreakers.values()].flatMap((registry) => registry.states());
}

export function defaultBreakerRegistry(config: GenerationConfig, clock: Clock): CircuitBreakerRegistry {
  const key = `${config.breaker.failureThreshold}/${config.breaker.coolDownMs}/${clock === systemClock ? 'system' : 'custom'}`;
  let registry = defaultBreakers.get(key);
  if (!registry) {
    registry = new CircuitBreakerRegistry(config.breaker, clock);
    defaultBreakers.set(key, registry);
  }
  return registry;
}
