/** The Webshare port's contract (contract/webshare-port.contract.ts), once per dialect. */
import { runWebshareContract } from './contract/webshare-port.contract';

runWebshareContract('v1');
runWebshareContract('v2');
