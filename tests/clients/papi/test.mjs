// polkadot-api 2.x against a running pysubtensor node.
//
//   node test.mjs ws://127.0.0.1:9944 [--amount <rao>] [--timeout <seconds>]
//
// Provider: `getWsProvider` from `polkadot-api/ws`. In polkadot-api 2.x this installs
// @polkadot-api/ws-middleware, which calls `rpc_methods` first and, per JSON-RPC group
// (chainHead_v1, transaction_v1, chainSpec_v1, archive_v1), speaks the new spec natively when
// the node lists any method of that group, and otherwise emulates the group on top of the legacy
// methods (chain_subscribeAllHeads, state_call, state_getStorage, author_submitExtrinsic, …).
// That replaces papi 1.x's `withPolkadotSdkCompat` / `polkadot-api/ws-provider/web` enhancers:
// nothing else needs to be configured. `getWsRawProvider` would skip the middleware (new spec
// only). The summary's `rpcGroups` records which groups the node served natively.
//
// No generated descriptors: `client.getUnsafeApi()` works from the runtime's metadata.
// On Node 20 (no global WebSocket) the provider is given the `ws` package's class.
// Signer: `getPolkadotSigner` (polkadot-api/signer) over an sr25519 key derived from the dev
// phrase with @polkadot-labs/hdkd ("//Alice").
//
// Prints one JSON summary on stdout (last line); exit 0 only if every step passed. The wire
// frames of the failing step (from the provider's logger) are in the summary.

import { createClient } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { sr25519CreateDerive } from '@polkadot-labs/hdkd';
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy, ss58Address } from '@polkadot-labs/hdkd-helpers';
import { WebSocket as WsWebSocket } from 'ws';

const url = process.argv[2];
if (!url) {
  console.error('usage: node test.mjs <ws-url> [--amount <rao>] [--timeout <seconds>]');
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const AMOUNT = BigInt(opt('--amount', '1000000000')); // 1 TAO
const TIMEOUT_S = Number(opt('--timeout', '150'));
const STEP_TIMEOUT_MS = 60_000;

const frames = [];
const logger = (ev) => {
  const rec = { t: Date.now(), ev: ev.type };
  if (ev.msg !== undefined) rec.msg = String(ev.msg).slice(0, 2000);
  if (ev.error !== undefined) rec.error = String(ev.error?.message || ev.error);
  frames.push(rec);
  if (frames.length > 300) frames.shift();
};

const summary = { client: 'polkadot-api', url, ok: false, steps: {}, failed: null };
const errStr = (e) => {
  if (e instanceof Error) return e.stack || e.message;
  try { return JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? v.toString() : v)); } catch { return String(e); }
};
const jsonable = (x) => JSON.parse(JSON.stringify(x, (_, v) => {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex');
  if (v && typeof v.asHex === 'function') return v.asHex(); // Binary
  return v;
}));

async function step (name, fn, timeoutMs = STEP_TIMEOUT_MS) {
  const t0 = Date.now();
  let timer;
  summary.current = name;
  try {
    const value = await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
      })
    ]);
    summary.steps[name] = { ok: true, ms: Date.now() - t0 };
    return value;
  } catch (e) {
    summary.steps[name] = { ok: false, ms: Date.now() - t0, error: errStr(e) };
    summary.failed = name;
    summary.wire = frames.filter((f) => f.t >= t0).slice(-40);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

let client;
function finish (code) {
  summary.ok = code === 0;
  if (summary.ok) delete summary.current;
  console.log(JSON.stringify(summary, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  try { client?.destroy(); } catch { /* ignore */ }
  process.exit(code);
}
const globalTimer = setTimeout(() => {
  summary.failed = summary.failed || (summary.current ? `${summary.current} (global timeout)` : 'global timeout');
  summary.steps.global = { ok: false, error: `global timeout ${TIMEOUT_S}s` };
  summary.wire = summary.wire || frames.slice(-40);
  finish(1);
}, TIMEOUT_S * 1000);

try {
  const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)));
  const aliceKp = derive('//Alice');
  const bobKp = derive('//Bob');
  const alice = ss58Address(aliceKp.publicKey, 42);
  const bob = ss58Address(bobKp.publicKey, 42);
  const signer = getPolkadotSigner(aliceKp.publicKey, 'Sr25519', aliceKp.sign);
  Object.assign(summary, { alice, bob });

  // Node 20 has no global WebSocket (Node >= 22 does); papi then needs the `ws` class.
  const websocketClass = globalThis.WebSocket ?? WsWebSocket;
  client = createClient(getWsProvider(url, { logger, websocketClass }));
  const api = client.getUnsafeApi();

  await step('rpcMethods', async () => {
    const res = await client._request('rpc_methods', []);
    const methods = res.methods || [];
    const groups = ['chainHead_v1', 'transaction_v1', 'chainSpec_v1', 'archive_v1'];
    summary.rpcGroups = Object.fromEntries(groups.map((g) => [g, methods.some((m) => m.startsWith(g + '_')) ? 'native' : 'legacy-emulated']));
  });

  await step('chainSpecData', async () => {
    const spec = await client.getChainSpecData();
    summary.chainName = spec.name;
    summary.genesisHash = spec.genesisHash;
    summary.properties = spec.properties;
  });

  await step('finalizedBlock', async () => {
    const fin = await client.getFinalizedBlock();
    summary.finalizedAtStart = { number: fin.number, hash: fin.hash };
  });

  // runtime / metadata: the unsafe API resolves once metadata is loaded through state_call
  await step('runtimeVersion', async () => {
    const v = await api.constants.System.Version();
    summary.runtime = { specName: v.spec_name, specVersion: v.spec_version, transactionVersion: v.transaction_version };
  });

  const before = await step('querySystemAccount', async () => {
    const [a, b] = await Promise.all([
      api.query.System.Account.getValue(alice, { at: 'best' }),
      api.query.System.Account.getValue(bob, { at: 'best' })
    ]);
    return { a, b };
  });
  summary.aliceFreeBefore = before.a.data.free;
  summary.bobFreeBefore = before.b.data.free;
  summary.aliceNonceBefore = before.a.nonce;

  const tx = api.tx.Balances.transfer_keep_alive({ dest: { type: 'Id', value: bob }, value: AMOUNT });

  await step('estimatedFees', async () => {
    summary.estimatedFee = await tx.getEstimatedFees(alice);
  });

  const seen = [];
  const fin = await step('signSubmitAndWatch', () => new Promise((resolve, reject) => {
    const sub = tx.signSubmitAndWatch(signer).subscribe({
      next: (ev) => {
        seen.push(ev.type === 'txBestBlocksState' ? `${ev.type}:${ev.found}` : ev.type);
        if (ev.type === 'signed') summary.txHash = ev.txHash;
        if (ev.type === 'txBestBlocksState' && ev.found) summary.inBestBlock = ev.block;
        if (ev.type === 'finalized') { sub.unsubscribe(); resolve(ev); }
      },
      error: (e) => reject(e)
    });
  }), 90_000);
  summary.txEvents = seen;
  summary.finalizedIn = fin.block;
  summary.txOk = fin.ok;
  summary.dispatchError = fin.dispatchError ? jsonable(fin.dispatchError) : null;
  summary.eventNames = fin.events.map((e) => `${e.type}.${e.value.type}`);
  const feePaid = fin.events.find((e) => e.type === 'TransactionPayment' && e.value.type === 'TransactionFeePaid');
  summary.actualFee = feePaid ? feePaid.value.value.actual_fee : null;
  const transfer = fin.events.find((e) => e.type === 'Balances' && e.value.type === 'Transfer');
  summary.transferEvent = transfer ? jsonable(transfer.value.value) : null;
  summary.depositsToAlice = fin.events
    .filter((e) => e.type === 'Balances' && e.value.type === 'Deposit' && e.value.value.who === alice)
    .reduce((s, e) => s + e.value.value.amount, 0n);

  await step('balancesAtBlock', async () => {
    const header = await client.getBlockHeader(fin.block.hash);
    const parent = header.parentHash;
    const [a0, b0, a1, b1] = await Promise.all([
      api.query.System.Account.getValue(alice, { at: parent }),
      api.query.System.Account.getValue(bob, { at: parent }),
      api.query.System.Account.getValue(alice, { at: fin.block.hash }),
      api.query.System.Account.getValue(bob, { at: fin.block.hash })
    ]);
    Object.assign(summary, {
      aliceFreeParent: a0.data.free,
      bobFreeParent: b0.data.free,
      aliceFreeBlock: a1.data.free,
      bobFreeBlock: b1.data.free,
      aliceNonceBlock: a1.nonce
    });
  });

  await step('querySystemAccount.after', async () => {
    const [a, b] = await Promise.all([
      api.query.System.Account.getValue(alice),
      api.query.System.Account.getValue(bob)
    ]);
    summary.aliceFreeAfter = a.data.free;
    summary.bobFreeAfter = b.data.free;
  });

  clearTimeout(globalTimer);
  finish(0);
} catch (e) {
  clearTimeout(globalTimer);
  if (!summary.failed) {
    summary.failed = 'script';
    summary.error = errStr(e);
    summary.wire = frames.slice(-40);
  }
  finish(1);
}
