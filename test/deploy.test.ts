// The deployment manifests (deploy/), offline: the Kubernetes objects against the Kubernetes
// schemas (kubernetes-models), the compose file against the Compose Specification's schema
// (vendored: test/schemas/README.md), and what no schema knows: the probes' paths answer in the
// app, every variable is one the service reads and its value passes the configuration's checks,
// the shutdown fits the grace period, ports, names and selectors agree.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { Ajv } from 'ajv'
import { parseAllDocuments } from 'yaml'
import { Deployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { Secret, Service } from 'kubernetes-models/v1'
import { ConfigSchema, loadConfig } from '../src/config.js'
import { testApp } from './helpers/app.js'

const DEPLOY = new URL('../deploy/', import.meta.url)
const KUBE = new URL('kubernetes/', DEPLOY)
const MODELS = { Deployment, Service, Secret, HorizontalPodAutoscaler, PodDisruptionBudget }
type Kind = keyof typeof MODELS
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: never }

function readYaml(url: URL): unknown[] {
  return parseAllDocuments(readFileSync(url, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${url.pathname}: ${doc.errors.map((e) => e.message).join('; ')}`)
    return doc.toJS()
  })
}

const files = readdirSync(KUBE).filter((f) => f.endsWith('.yaml'))
const manifests = files.flatMap((file) => readYaml(new URL(file, KUBE)).map((doc) => ({ file, doc: doc as Manifest })))
function one<T>(kind: Kind): T {
  const found = manifests.filter((m) => m.doc.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`)
  return (found[0] as { doc: unknown }).doc as T
}

interface Probe {
  httpGet: { path: string; port: string | number }
}
interface Container {
  name: string
  ports: { name: string; containerPort: number }[]
  env: { name: string; value: string }[]
  envFrom: { secretRef: { name: string } }[]
  resources: { requests: Record<string, string>; limits: Record<string, string> }
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } }
  startupProbe: Probe
  livenessProbe: Probe
  readinessProbe: Probe
  lifecycle: { preStop: { exec?: { command: string[] }; sleep?: { seconds: number } } }
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> }
  spec: { terminationGracePeriodSeconds: number; securityContext: { runAsNonRoot: boolean }; containers: Container[] }
}
const deployment = one<{
  metadata: { name: string }
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate }
}>('Deployment')
const pod = deployment.spec.template
const container = pod.spec.containers[0] as Container
const secret = one<{ metadata: { name: string }; stringData: Record<string, string> }>('Secret')
const env: Record<string, string> = Object.fromEntries(container.env.map((e) => [e.name, e.value]))

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v)

t.test('every Kubernetes object is valid against its schema', async (t) => {
  t.same(manifests.map((m) => m.doc.kind).sort(), ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service'])
  for (const { file, doc } of manifests) {
    const Model = MODELS[doc.kind as Kind] as unknown as new (data: unknown) => { validate(): void; apiVersion: string }
    t.ok(Model, `${file}: a kind this test knows`)
    const model = new Model(doc)
    t.equal(doc.apiVersion, model.apiVersion, `${file}: ${doc.kind} is ${model.apiVersion}`)
    t.doesNotThrow(() => model.validate(), `${file}: ${doc.kind} ${doc.metadata.name} is valid`)
  }
})

t.test('the schema validation catches a broken manifest', async (t) => {
  const broken = structuredClone(deployment) as unknown as { spec: { replicas: unknown } }
  broken.spec.replicas = 'three'
  t.throws(() => new Deployment(broken as never).validate())
  t.throws(() => new Service({ spec: { ports: [{ port: 'http' as never }] } }).validate())
})

t.test('the probes name paths the app answers, on the port the service listens to', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  t.equal(container.livenessProbe.httpGet.path, '/health/live')
  t.equal(container.readinessProbe.httpGet.path, '/health/ready')
  t.equal(container.startupProbe.httpGet.path, '/health/ready')
  for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
    t.equal((await app.inject(probe.httpGet.path)).statusCode, 200, probe.httpGet.path)
    t.equal(probe.httpGet.port, 'http')
  }
  const ports = Object.fromEntries(container.ports.map((p) => [p.name, p.containerPort]))
  t.equal(ports.http, Number(env.PORT), 'the http port is PORT')
  t.equal(ports.metrics, Number(env.METRICS_PORT), 'the metrics port is METRICS_PORT')
  t.equal(pod.metadata.annotations['prometheus.io/port'], String(ports.metrics))
  const service = one<{ spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>('Service')
  t.same(
    service.spec.ports.map((p) => p.targetPort),
    ['http'],
    'the Service exposes the API, not the metrics'
  )
})

t.test("every variable is one the service reads, and the pod's whole environment passes its checks", async (t) => {
  const known = Object.keys(ConfigSchema.properties)
  for (const name of [...Object.keys(env), ...Object.keys(secret.stringData)]) {
    t.ok(known.includes(name), `${name} is a configuration variable`)
  }
  t.same(Object.keys(secret.stringData).sort(), ['API_KEYS', 'CHAIN_KEYS', 'DATABASE_URL', 'REDIS_URL'])
  t.same(
    container.envFrom.map((e) => e.secretRef.name),
    [secret.metadata.name]
  )
  const config = loadConfig({ ...secret.stringData, ...env })
  t.not(config.DATABASE_URL, '', 'PostgreSQL: the root filesystem is read-only, there is no embedded store')
  t.not(config.REDIS_URL, '', 'the rate limits are shared')
})

t.test('shutdown: preStop, drain and grace fit the grace period; memory shedding fits the limit', async (t) => {
  const config = loadConfig({ ...secret.stringData, ...env })
  const command = container.lifecycle.preStop.exec?.command ?? []
  t.equal(command[0], 'sleep')
  const preStop = Number(command[1])
  t.ok(preStop > 0 && preStop <= 10, `a short pause while the endpoints drop the pod (${preStop} s)`)
  const needed = preStop + (config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS) / 1000
  t.ok(needed < pod.spec.terminationGracePeriodSeconds, `preStop + drain + grace = ${needed} s < terminationGracePeriodSeconds`)
  const memoryLimit = quantity(container.resources.limits.memory as string)
  t.ok(config.MAX_RSS_BYTES > 0 && config.MAX_RSS_BYTES <= memoryLimit / 2, 'MAX_RSS_BYTES is at most half the memory limit')
  t.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.cpu, 'requests and limits')
})

t.test('non-root, read-only root filesystem, no privilege', async (t) => {
  t.equal(pod.spec.securityContext.runAsNonRoot, true)
  t.equal(container.securityContext.readOnlyRootFilesystem, true)
  t.equal(container.securityContext.allowPrivilegeEscalation, false)
  t.same(container.securityContext.capabilities.drop, ['ALL'])
})

t.test('names and selectors agree', async (t) => {
  t.ok(matches(deployment.spec.selector.matchLabels, pod.metadata.labels), 'the Deployment selects its pods')
  const service = one<{ spec: { selector: Record<string, string> } }>('Service')
  t.ok(matches(service.spec.selector, pod.metadata.labels), 'the Service selects the pods')
  const pdb = one<{ spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } }>('PodDisruptionBudget')
  t.ok(matches(pdb.spec.selector.matchLabels, pod.metadata.labels), 'the PodDisruptionBudget selects the pods')
  const hpa = one<{ spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>(
    'HorizontalPodAutoscaler'
  )
  t.same(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
  t.ok(hpa.spec.minReplicas >= 2 + pdb.spec.maxUnavailable - 1, 'two replicas still serve during a disruption')
  t.equal(deployment.spec.replicas, hpa.spec.minReplicas)
})

t.test('the compose file is valid against the Compose Specification, and runs the service with PostgreSQL and Redis', async (t) => {
  // Draft-07, Ajv's own default; its $schema spells the meta-schema's URI in a way Ajv does not know.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(new URL('schemas/compose-spec.json', import.meta.url), 'utf8')) as {
    $schema: string
  }
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
  const [compose] = readYaml(new URL('compose.yaml', DEPLOY)) as [
    {
      services: Record<
        string,
        { environment: Record<string, string>; depends_on: Record<string, unknown>; stop_grace_period: string; read_only: boolean }
      >
    }
  ]
  t.ok(validate(compose), JSON.stringify(validate.errors))
  t.notOk(validate({ services: { advisor: { image: 'x', depends_on: { redis: { condition: 'whenever' } } } } }), 'a wrong value is caught')
  t.notOk(validate({ services: { advisor: { image: 'x', prots: ['3000:3000'] } } }), 'a misspelt key is caught')

  t.same(Object.keys(compose.services).sort(), ['advisor', 'postgres', 'redis'])
  const advisor = compose.services.advisor!
  const known = Object.keys(ConfigSchema.properties)
  for (const name of Object.keys(advisor.environment)) t.ok(known.includes(name), `${name} is a configuration variable`)
  // Compose's ${VAR:-default} as compose reads it with nothing set.
  const interpolated = Object.fromEntries(
    Object.entries(advisor.environment).map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')])
  )
  const config = loadConfig(interpolated)
  t.equal(new URL(config.DATABASE_URL).hostname, 'postgres')
  t.equal(new URL(config.REDIS_URL).hostname, 'redis')
  t.same(Object.keys(advisor.depends_on).sort(), ['postgres', 'redis'])
  t.equal(advisor.read_only, true)
  const grace = Number(/^(\d+)s$/.exec(advisor.stop_grace_period)?.[1])
  t.ok(grace > (config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS) / 1000, 'stop_grace_period covers the drain and the grace')
})

/** A Kubernetes memory quantity in bytes (Ki, Mi, Gi). */
function quantity(value: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(value)
  if (!match) throw new Error(`unsupported quantity ${value}`)
  return Number(match[1]) * { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? '']!
}
