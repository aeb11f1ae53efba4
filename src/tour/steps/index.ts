import type {TourStep} from '../types.js';
import {callStep} from './call.js';
import {clusterStep} from './cluster.js';
import {discoveryStep} from './discovery.js';
import {finishStep} from './finish.js';
import {grpcStep} from './grpc.js';
import {lbStep} from './lb.js';
import {protocolsStep} from './protocols.js';
import {registryStep} from './registry.js';
import {replStep} from './repl.js';
import {tlsStep} from './tls.js';
import {txnStep} from './txn.js';
import {txnDbStep} from './txn-db.js';
import {messagingStep} from './messaging.js';
import {kafkaStep} from './kafka.js';
import {monitoringStep} from './monitoring.js';

/**
 * The tour, in order. The first step starts the cluster and the last stops
 * it; each capability adds its step between them.
 */
export const TOUR_STEPS: TourStep[] = [
  clusterStep,
  discoveryStep,
  callStep,
  grpcStep,
  protocolsStep,
  registryStep,
  txnStep,
  txnDbStep,
  lbStep,
  monitoringStep,
  messagingStep,
  kafkaStep,
  replStep,
  tlsStep,
  finishStep,
];
