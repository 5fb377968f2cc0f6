/** `npm run bench`: every benchmark, each reporting ratios to a baseline measured in the same run. */
import { benchTickCost } from './tick-cost';

await benchTickCost();
