import type {DescMessage, DescMethod, DescService, FileRegistry} from '@bufbuild/protobuf';
import type {Registry} from '../registry/index.js';
import type {DescriptorSource} from '../rpc/index.js';

/** What the REPL knows about a target's schema, from server reflection. */
export interface TargetSchema {
  /** The instance that answered. */
  hostPort: string;
  /** Fully-qualified services, reflection's own left out. */
  services: string[];
  registry: FileRegistry;
  /** The schema as a DescriptorSource, for the call engine's method lookup. */
  source: DescriptorSource;
}

const TTL_MS = 60_000;
const INTERNAL = /^grpc\.reflection\./;

/**
 * Schemas of targets by name (service name or HOST:PORT), fetched once by
 * server reflection and kept for a minute, or until the registry changes.
 * Completion, `show`, `desc` and guided input all read from here.
 */
export class SchemaCache {
  private readonly entries = new Map<string, {at: number; schema: Promise<TargetSchema>}>();

  constructor(private readonly openRegistry: () => Promise<Registry>) {}

  get(target: string, signal?: AbortSignal): Promise<TargetSchema> {
    const hit = this.entries.get(target);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.schema;
    const schema = this.load(target, signal);
    this.entries.set(target, {at: Date.now(), schema});
    schema.catch(() => this.entries.delete(target));
    return schema;
  }

  /** The cached schema, if it is already loaded (completion must not block on the network for long). */
  async peek(target: string, waitMs: number): Promise<TargetSchema | undefined> {
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), waitMs).unref());
    return Promise.race([this.get(target).catch(() => undefined), timeout]);
  }

  invalidate(): void {
    this.entries.clear();
  }

  private async load(target: string, signal?: AbortSignal): Promise<TargetSchema> {
    const {resolveTarget, grpcTransport, ReflectionSource, urlTransport} = await import('../rpc/index.js');
    const resolved = await resolveTarget(target, this.openRegistry, {protocols: ['grpc'], signal});
    // A URL target's scheme says TLS or plaintext (https: the system roots).
    const {reflection: transport, close} = await grpcTransport(resolved, {...(resolved.scheme ? urlTransport(resolved.scheme, target) : {}), signal});
    const reflection = new ReflectionSource(transport, resolved.hostPort, {signal});
    try {
      const services = (await reflection.listServices()).filter((s) => !INTERNAL.test(s));
      const registry = await reflection.registryFor(services);
      const source: DescriptorSource = {
        description: reflection.description,
        listServices: async () => services,
        registryFor: async () => registry,
        close: async () => undefined,
      };
      return {hostPort: resolved.hostPort, services, registry, source};
    } finally {
      await reflection.close();
      close();
    }
  }
}

/** The services of a schema as descriptors. */
export function servicesOf(schema: TargetSchema): DescService[] {
  return schema.services.map((s) => schema.registry.getService(s)).filter((s): s is DescService => s !== undefined);
}

/** Methods of one service (or of every service), as `pkg.Service/Method`. */
export function methodsOf(schema: TargetSchema, service?: string): DescMethod[] {
  return servicesOf(schema).filter((s) => !service || s.typeName === service).flatMap((s) => s.methods);
}

/** Message types of the schema's services' files (not the well-known types they import). */
export function messagesOf(schema: TargetSchema): DescMessage[] {
  const out: DescMessage[] = [];
  for (const t of schema.registry) {
    if (t.kind === 'message' && !t.typeName.startsWith('google.protobuf.') && !INTERNAL.test(t.typeName)) out.push(t);
  }
  return out.sort((a, b) => a.typeName.localeCompare(b.typeName));
}
