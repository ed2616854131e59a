// @polkadot/api 16.5.x against a running pysubtensor node.
//
//   node test.mjs ws://127.0.0.1:9944 [--amount <rao>] [--timeout <seconds>]
//
// Connects with ApiPromise.create, reads chain / genesis / runtime version, reads
// System.Account through api.query (state_queryStorageAt) and api.at(hash) (state_getStorage),
// subscribes to new heads (wire name chain_subscribeNewHead) and to Bob's System.Account key
// with api.rpc.state.subscribeStorage, then Alice signs balances.transferKeepAlive(Bob, amount)
// and watches it (author_submitAndWatchExtrinsic) to inBlock and finalized, collecting the
// extrinsic's events as pjs filters them (phase ApplyExtrinsic(index) in the inclusion block).
// Then two calls whose signing payloads exceed 256 bytes (pjs signs their blake2-256): Bob
// sends a utility.batch of six transfers, Charlie a 1 KB system.remark; for each, the events
// and the balances around the inclusion block.
//
// Prints one JSON summary on stdout (last line) and exits 0 only if every step passed. Every
// WebSocket frame is kept (last 2000) and the failing step's frames are put in the summary, so a
// failure names the JSON-RPC request and response involved.

const url = process.argv[2];
if (!url) {
  console.error('usage: node test.mjs <ws-url> [--amount <rao>] [--timeout <seconds>]');
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const AMOUNT = BigInt(opt('--amount', '1000000000')); // 1 TAO (9 decimals)
const TIMEOUT_S = Number(opt('--timeout', '120'));
const STEP_TIMEOUT_MS = 45_000;

// ---- wire log: subclass `ws` and install it as the global WebSocket before pjs loads --------
// @polkadot/x-ws takes globalThis.WebSocket when present, else the `ws` package.
const { default: WsBase } = await import('ws');
const frames = [];
const keep = (dir, data) => {
  frames.push({ t: Date.now(), dir, msg: String(data).slice(0, 2000) });
  if (frames.length > 2000) frames.shift();
};
class LoggingWebSocket extends WsBase {
  constructor (...args) {
    super(...args);
    this.on('message', (data) => keep('in', data));
  }

  send (data, ...rest) {
    keep('out', data);
    return super.send(data, ...rest);
  }
}
globalThis.WebSocket = LoggingWebSocket;

const { ApiPromise, WsProvider } = await import('@polkadot/api');
const { Keyring } = await import('@polkadot/keyring');
const { cryptoWaitReady } = await import('@polkadot/util-crypto');

const summary = { client: '@polkadot/api', url, ok: false, steps: {}, failed: null };
let api;

const wireSince = (t0) => frames.filter((f) => f.t >= t0).slice(-30);

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
    summary.wire = wireSince(t0);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

const big = (x) => BigInt(x.toString());
const errStr = (e) => {
  if (e instanceof Error) return e.stack || e.message;
  if (e && (e.message || e.type)) return `${e.type || 'error'}: ${e.message || ''}`.trim();
  try { return JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? v.toString() : v)); } catch { return String(e); }
};

// Sign and send `tx` as `signer`, wait for inBlock, and return the extrinsic's events (as pjs
// filters them), its dispatch error, its encoded length, and the free balance of each of
// `who` at the inclusion block's parent and at the block.
async function sendAndMeasure (tx, pair, who) {
  // The keyring pair, recording the length of each message pjs has it sign (the signing
  // payload, or its blake2-256 when the payload is longer than 256 bytes).
  const signedLengths = [];
  const signer = { ...pair, sign: (message, options) => { signedLengths.push(message.length); return pair.sign(message, options); } };
  const out = await new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock) {
        resolve({
          block: status.asInBlock.toHex(),
          events: events.map(({ event }) => ({ name: `${event.section}.${event.method}`, data: event.data.toJSON() })),
          dispatchError: dispatchError ? dispatchError.toString() : null
        });
      } else if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        reject(new Error(`extrinsic status ${status.type}: ${JSON.stringify(status.toJSON())}`));
      }
    }).catch(reject);
  });
  out.signedLengths = signedLengths;
  out.encodedLength = tx.encodedLength;
  out.callLength = tx.method.toU8a().length;
  const header = await api.rpc.chain.getHeader(out.block);
  const [atParent, atBlock] = await Promise.all([api.at(header.parentHash), api.at(out.block)]);
  out.free = {};
  for (const address of who) {
    const [a0, a1] = await Promise.all([atParent.query.system.account(address), atBlock.query.system.account(address)]);
    out.free[address] = [big(a0.data.free), big(a1.data.free)];
  }
  return out;
}

function finish (code) {
  summary.ok = code === 0;
  if (summary.ok) delete summary.current;
  // BigInt is not JSON: print as decimal strings
  console.log(JSON.stringify(summary, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  process.exit(code);
}

const globalTimer = setTimeout(() => {
  summary.steps.global = { ok: false, error: `global timeout ${TIMEOUT_S}s` };
  summary.failed = summary.failed || (summary.current ? `${summary.current} (global timeout)` : 'global timeout');
  summary.wire = summary.wire || frames.slice(-30);
  finish(1);
}, TIMEOUT_S * 1000);

try {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  summary.alice = alice.address;
  summary.bob = bob.address;

  // -- connect ------------------------------------------------------------------------------
  api = await step('connect', async () => {
    const provider = new WsProvider(url, 1000, {}, 30_000);
    return ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
  });
  await step('chainInfo', async () => {
    const [chain, name, version, props, health] = await Promise.all([
      api.rpc.system.chain(), api.rpc.system.name(), api.rpc.system.version(),
      api.rpc.system.properties(), api.rpc.system.health()
    ]);
    const rv = api.runtimeVersion;
    Object.assign(summary, {
      chain: chain.toString(),
      nodeName: name.toString(),
      nodeVersion: version.toString(),
      properties: props.toJSON(),
      health: health.toJSON(),
      genesisHash: api.genesisHash.toHex(),
      runtime: {
        specName: rv.specName.toString(),
        specVersion: rv.specVersion.toNumber(),
        transactionVersion: rv.transactionVersion.toNumber()
      },
      metadataVersion: api.runtimeMetadata.version,
      extrinsicVersion: api.extrinsicVersion,
      hasTransactionPaymentApi: Boolean(api.call.transactionPaymentApi?.queryInfo)
    });
  });

  // -- reads --------------------------------------------------------------------------------
  const before = await step('querySystemAccount', async () => {
    const [a, b] = await Promise.all([api.query.system.account(alice.address), api.query.system.account(bob.address)]);
    return { alice: a, bob: b };
  });
  summary.aliceFreeBefore = big(before.alice.data.free);
  summary.bobFreeBefore = big(before.bob.data.free);
  summary.aliceNonceBefore = before.alice.nonce.toNumber();

  // -- new heads ----------------------------------------------------------------------------
  const heads = [];
  const headsDone = step('subscribeNewHeads', () => new Promise((resolve, reject) => {
    api.rpc.chain.subscribeNewHeads((h) => {
      heads.push({ number: h.number.toNumber(), hash: h.hash.toHex() });
      if (heads.length >= 2) resolve();
    }).then((unsub) => { headsDone.unsub = unsub; }, reject);
  }));
  headsDone.catch(() => { /* awaited below; keeps an early failure from being unhandled */ });

  // -- storage subscription on Bob's account ------------------------------------------------
  const bobKey = api.query.system.account.key(bob.address);
  summary.bobAccountKey = bobKey;
  const storageNotes = [];
  let storageWaiter = null;
  let unsubStorage;
  await step('subscribeStorage.initial', () => new Promise((resolve, reject) => {
    api.rpc.state.subscribeStorage([bobKey], (values) => {
      const hex = values[0] ? values[0].toHex() : null;
      storageNotes.push(hex);
      if (storageNotes.length === 1) resolve();
      if (storageWaiter) storageWaiter(hex);
    }).then((unsub) => { unsubStorage = unsub; }, reject);
  }));
  summary.storageInitialIsBobAccount = storageNotes[0] !== null && storageNotes[0] !== '0x';

  await headsDone;
  headsDone.unsub?.();
  summary.heads = heads;

  // -- fee estimate (TransactionPaymentApi_query_info via state_call) -------------------------
  const tx = api.tx.balances.transferKeepAlive(bob.address, AMOUNT);
  await step('paymentInfo', async () => {
    const info = await tx.paymentInfo(alice);
    summary.paymentInfoPartialFee = big(info.partialFee);
  });

  // -- sign, send, watch --------------------------------------------------------------------
  const storageChanged = new Promise((resolve) => {
    const initial = storageNotes[0];
    storageWaiter = (hex) => { if (hex !== initial) resolve(hex); };
  });
  const statuses = [];
  const describe = (events) => events.map(({ event }) => ({
    name: `${event.section}.${event.method}`,
    data: event.data.toJSON()
  }));
  const submitAt = Date.now();
  const watched = await step('signAndSend', () => new Promise((resolve, reject) => {
    const out = {};
    tx.signAndSend(alice, (result) => {
      const { status, events, dispatchError } = result;
      statuses.push(status.type);
      if (status.isInBlock) {
        out.inBlock = status.asInBlock.toHex();
        out.inBlockEvents = describe(events);
        out.dispatchError = dispatchError ? dispatchError.toString() : null;
      } else if (status.isFinalized) {
        out.finalized = status.asFinalized.toHex();
        out.finalizedEventsFull = describe(events);
        out.finalizedDispatchError = dispatchError ? dispatchError.toString() : null;
        out.txHash = result.txHash.toHex();
        out.txIndex = result.txIndex;
        resolve(out);
      } else if (status.isInvalid || status.isDropped || status.isUsurped || status.isRetracted || status.isFinalityTimeout) {
        reject(new Error(`extrinsic status ${status.type}: ${JSON.stringify(status.toJSON())}`));
      }
    }).then((unsub) => { out.unsub = unsub; }, reject);
  }), 90_000);
  watched.unsub?.();
  delete watched.unsub;
  summary.statuses = statuses;
  // The statuses as the node sent them (author_extrinsicUpdate), with their arrival times: pjs
  // handles each status with rxjs switchMap, so an InBlock whose events are still being fetched
  // when Finalized arrives is never passed to the callback.
  summary.wireStatuses = frames
    .filter((f) => f.t >= submitAt && f.dir === 'in' && f.msg.includes('"author_extrinsicUpdate"'))
    .map((f) => { const m = JSON.parse(f.msg); return { t: f.t, result: m.params.result }; });
  summary.inBlockSeen = watched.inBlock !== undefined;
  Object.assign(summary, watched);
  const events = watched.inBlockEvents ?? watched.finalizedEventsFull;
  const inclusionBlock = watched.inBlock ?? watched.finalized;
  summary.inclusionBlock = inclusionBlock;
  summary.finalizedEvents = watched.finalizedEventsFull.map((e) => e.name);
  delete summary.finalizedEventsFull;
  summary.dispatchError = watched.dispatchError ?? watched.finalizedDispatchError;
  delete summary.finalizedDispatchError;
  summary.eventNames = events.map((e) => e.name);

  // TransactionFeePaid { who, actual_fee, tip }
  const feePaid = events.find((e) => e.name === 'transactionPayment.TransactionFeePaid');
  summary.actualFee = feePaid ? BigInt(feePaid.data[1]) : null;
  summary.tip = feePaid ? BigInt(feePaid.data[2]) : null;
  const transfer = events.find((e) => e.name === 'balances.Transfer');
  summary.transferEvent = transfer ? transfer.data : null;
  // fee credited back to Alice as block author, if the runtime gives fees to the author
  summary.depositsToAlice = events
    .filter((e) => e.name === 'balances.Deposit' && e.data[0] === alice.address)
    .reduce((s, e) => s + BigInt(e.data[1]), 0n);

  // -- balances around the inclusion block (api.at → state_getStorage at hash) --------------
  await step('balancesAtBlock', async () => {
    const header = await api.rpc.chain.getHeader(inclusionBlock);
    summary.inBlockNumber = header.number.toNumber();
    const [apiParent, apiBlock] = await Promise.all([api.at(header.parentHash), api.at(inclusionBlock)]);
    const [a0, b0, a1, b1] = await Promise.all([
      apiParent.query.system.account(alice.address), apiParent.query.system.account(bob.address),
      apiBlock.query.system.account(alice.address), apiBlock.query.system.account(bob.address)
    ]);
    summary.aliceFreeParent = big(a0.data.free);
    summary.bobFreeParent = big(b0.data.free);
    summary.aliceFreeBlock = big(a1.data.free);
    summary.bobFreeBlock = big(b1.data.free);
    summary.aliceNonceBlock = a1.nonce.toNumber();
  });

  await step('querySystemAccount.after', async () => {
    const [a, b] = await Promise.all([api.query.system.account(alice.address), api.query.system.account(bob.address)]);
    summary.aliceFreeAfter = big(a.data.free);
    summary.bobFreeAfter = big(b.data.free);
  });

  await step('subscribeStorage.change', async () => {
    const hex = await storageChanged;
    summary.storageNotifications = storageNotes.length;
    summary.storageChangedTo = hex;
  });
  unsubStorage?.();

  await step('getBlock', async () => {
    const signed = await api.rpc.chain.getBlock(inclusionBlock);
    summary.inBlockExtrinsics = signed.block.extrinsics.length;
    summary.inBlockHasOurTx = signed.block.extrinsics.some((x) => x.hash.toHex() === watched.txHash);
  });

  // -- long signing payloads (> 256 bytes: signed as their blake2-256), sent by accounts that
  //    do not author blocks (Alice authors every dev block and is paid the fees) -------------
  const charlie = keyring.addFromUri('//Charlie');
  const dests = ['//Dave', '//Eve', '//Ferdie', '//One', '//Two', '//Three'].map((u) => keyring.addFromUri(u).address);
  summary.charlie = charlie.address;
  summary.batchDests = dests;
  summary.batch = await step('batchFromBob', () => sendAndMeasure(
    api.tx.utility.batch(dests.map((d) => api.tx.balances.transferKeepAlive(d, AMOUNT))),
    bob, [alice.address, bob.address, ...dests]), 90_000);
  summary.remark = await step('remark1kFromCharlie', () => sendAndMeasure(
    api.tx.system.remark('0x' + '61'.repeat(1024)), charlie, [alice.address, charlie.address]), 90_000);

  clearTimeout(globalTimer);
  await api.disconnect();
  finish(0);
} catch (e) {
  clearTimeout(globalTimer);
  if (!summary.failed) {
    summary.failed = 'script';
    summary.error = errStr(e);
    summary.wire = frames.slice(-30);
  }
  try { await api?.disconnect(); } catch { /* ignore */ }
  finish(1);
}
