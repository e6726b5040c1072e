import aliCcp from '../../specs/ali-ccp.json';
import aliCcpAitm from '../../specs/ali-ccp-aitm.json';
import aliCcpRaw from '../../specs/ali-ccp-raw.json';
import aliexpress from '../../specs/aliexpress.json';
import censusIncome from '../../specs/census-income.json';
import simulatedShop from '../../specs/simulated-shop.json';
import synthetic from '../../specs/synthetic.json';

/**
 * The built-in datasets, written as the same JSON specs users write (the files in this package's `specs/`
 * folder, bundled into the build). Their file paths are relative to the data dir.
 */
export const BUILTIN_SPECS: Readonly<Record<string, unknown>> = {
  synthetic,
  'simulated-shop': simulatedShop,
  'census-income': censusIncome,
  aliexpress,
  'ali-ccp': aliCcp,
  'ali-ccp-aitm': aliCcpAitm,
  'ali-ccp-raw': aliCcpRaw,
};
