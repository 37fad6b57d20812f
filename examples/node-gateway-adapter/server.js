'use strict';
// An out-of-process OneThing department adapter in Node.js: it implements
// onething.gateway.v1.DepartmentGatewayService (protos/onething/gateway/v1/gateway.proto) and translates
// each item to the social security card system's native gRPC API
// (protos/departments/sscard/v1/sscard.proto). Both contracts are loaded from the repository's .proto
// files at start, so they are never copied and never drift.
//
// Environment:
//   HOST                    where to listen (default 127.0.0.1)
//   PORT                    the port to listen on (default 7070; 0 picks a free one)
//   SSCARD_ENDPOINT         the card system, host:port (default 127.0.0.1:5105, the sandbox simulator)
//   DEPARTMENT_TIMEOUT_MS   the longest one call to the card system may take (default 10000)
//   PROTOS_DIR              the protos folder (default: ../../protos beside this file)

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '7070';
const sscardEndpoint = process.env.SSCARD_ENDPOINT || '127.0.0.1:5105';
const departmentTimeoutMs = Number(process.env.DEPARTMENT_TIMEOUT_MS || 10000);
const protosDir = process.env.PROTOS_DIR || path.resolve(__dirname, '..', '..', 'protos');

const ITEM_CODE = 'sscard.card-application';

const definition = protoLoader.loadSync(
  ['onething/gateway/v1/gateway.proto', 'departments/sscard/v1/sscard.proto'],
  { includeDirs: [protosDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true },
);
const loaded = grpc.loadPackageDefinition(definition);
const gateway = loaded.onething.gateway.v1;
const sscard = loaded.departments.sscard.v1;

const cardSystem = new sscard.CardApplicationService(sscardEndpoint, grpc.credentials.createInsecure());

// The hub's reasons: the same stable codes and Chinese messages as the bundled C# adapter, so the
// citizen reads the same thing whichever adapter carried the item.
const reasons = {
  idTypeNotSupported: { code: 'ID_TYPE_NOT_SUPPORTED', message: '社会保障卡线上申领仅支持居民身份证，请持有效证件到社会保障卡服务网点办理。' },
  photoReceiptRequired: { code: 'FIELD_REQUIRED', message: '请填写相片回执号。', field: 'card.photo_receipt_no' },
  branchRequired: { code: 'FIELD_REQUIRED', message: '选择网点领取时，请选择领卡网点。', field: 'card.branch_code' },
  pickupInvalid: { code: 'CARD_PICKUP_INVALID', message: '请选择社会保障卡的领取方式：邮寄或网点领取。', field: 'card.pickup' },
  cardAlreadyHeld: { code: 'CARD_ALREADY_HELD', message: '您已持有有效的社会保障卡，无需重复申领；如卡片遗失或损坏，请办理补换卡。' },
  photoReceiptInvalid: { code: 'PHOTO_RECEIPT_INVALID', message: '相片回执号无效或不属于申请人，请核对后重新填写。', field: 'card.photo_receipt_no' },
  productionFailed: (text) => ({ code: 'CARD_PRODUCTION_FAILED', message: (text || '').trim() || '社会保障卡制卡失败，请联系社会保障卡服务网点。' }),
};

/** A gRPC error for the hub: UNAVAILABLE and DEADLINE_EXCEEDED are retried; INTERNAL means this gateway is broken. */
class GatewayError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const outcome = {
  accepted: (caseNumber) => ({ kind: 'KIND_ACCEPTED', case_number: caseNumber }),
  completed: (caseNumber, result) => ({ kind: 'KIND_COMPLETED', case_number: caseNumber, result }),
  returned: (caseNumber, ...why) => ({ kind: 'KIND_RETURNED', case_number: caseNumber || '', reasons: why }),
  rejected: (caseNumber, ...why) => ({ kind: 'KIND_REJECTED', case_number: caseNumber || '', reasons: why }),
};

/** Calls the card system: bounded by our own timeout and the hub's deadline, cancelled when the hub gives up. */
function callCardSystem(method, request, hubCall) {
  return new Promise((resolve, reject) => {
    let deadline = Date.now() + departmentTimeoutMs;
    const hubDeadline = hubCall.getDeadline();
    if (hubDeadline instanceof Date && hubDeadline.getTime() < deadline) {
      deadline = hubDeadline.getTime();
    }
    const call = cardSystem[method](request, { deadline }, (error, response) => {
      hubCall.removeListener('cancelled', cancel);
      if (error) {
        reject(departmentFailure(error));
      } else {
        resolve(response);
      }
    });
    // The hub gave up (its attempt timed out): stop the department call too, so a late answer cannot pile up.
    const cancel = () => call.cancel();
    hubCall.on('cancelled', cancel);
  });
}

/** Maps the card system's technical failures to the gateway contract's codes. */
function departmentFailure(error) {
  switch (error.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.RESOURCE_EXHAUSTED:
    case grpc.status.INTERNAL: // the card system's contract names INTERNAL as technical
    case grpc.status.ABORTED:
      return new GatewayError(grpc.status.UNAVAILABLE, `card system unavailable: ${error.details || error.message}`);
    case grpc.status.DEADLINE_EXCEEDED:
      return new GatewayError(grpc.status.DEADLINE_EXCEEDED, 'card system did not answer in time');
    case grpc.status.CANCELLED:
      return new GatewayError(grpc.status.CANCELLED, 'cancelled by the hub');
    default:
      return new GatewayError(grpc.status.INTERNAL, `card system answered gRPC status ${error.code} (${error.details || error.message}), which its contract does not provide for`);
  }
}

function field(fields, key) {
  const value = fields[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

async function submitItem(call) {
  const request = call.request;
  if (request.item_code !== ITEM_CODE) {
    throw new GatewayError(grpc.status.INVALID_ARGUMENT, `this gateway carries ${ITEM_CODE} only, not ${request.item_code}`);
  }
  if (!/^[0-9a-f]{32}$/.test(request.idempotency_key)) {
    throw new GatewayError(grpc.status.INVALID_ARGUMENT, 'idempotency_key must be 32 lowercase hex characters');
  }
  const applicant = request.applicant || {};
  const fields = request.fields || {};

  // The card system takes applications on a resident ID card only ("01").
  if ((applicant.id_type || '').toLowerCase() !== 'resident-id') {
    return outcome.rejected(null, reasons.idTypeNotSupported);
  }
  const photoReceiptNo = field(fields, 'card.photo_receipt_no');
  if (!photoReceiptNo) {
    return outcome.returned(null, reasons.photoReceiptRequired);
  }

  let delivery;
  switch (field(fields, 'card.pickup')) {
    case 'post':
      delivery = {
        mode: 'POST',
        address: field(fields, 'delivery.address') || applicant.residence_address,
        recipient: field(fields, 'delivery.recipient') || applicant.name,
        phone: field(fields, 'delivery.mobile') || applicant.mobile,
      };
      break;
    case 'branch': {
      const branchCode = field(fields, 'card.branch_code');
      if (!branchCode) {
        return outcome.returned(null, reasons.branchRequired);
      }
      delivery = { mode: 'BRANCH', branch_code: branchCode };
      break;
    }
    default:
      return outcome.returned(null, reasons.pickupInvalid);
  }

  // out_trade_no carries the hub's idempotency key: a retry of the same item never opens a second case.
  const response = await callCardSystem('ApplyCard', {
    out_trade_no: request.idempotency_key,
    cert_type: '01',
    cert_no: applicant.id_number,
    name: applicant.name,
    mobile: applicant.mobile,
    photo_receipt_no: photoReceiptNo,
    delivery,
    bank_name: field(fields, 'payment.bank_name') || '',
  }, call);

  if (response.result_code === 'SUCCESS') {
    if (!response.apply_no) {
      throw new GatewayError(grpc.status.INTERNAL, 'card system accepted an application without an application number');
    }
    // Already decided: the card number and account come only with a query.
    return response.status === 'MAKING' || response.status === ''
      ? outcome.accepted(response.apply_no)
      : query(response.apply_no, call);
  }
  switch (response.err_code) {
    case 'CARD_EXISTS':
      return outcome.rejected(response.apply_no, reasons.cardAlreadyHeld);
    case 'PHOTO_RECEIPT_INVALID':
      return outcome.returned(response.apply_no, reasons.photoReceiptInvalid);
    default:
      // PARAM_ERROR means this gateway built a malformed request: a bug here, not the citizen's to fix.
      throw new GatewayError(grpc.status.INTERNAL, `card system answered ${response.result_code}/${response.err_code}`);
  }
}

async function query(applyNo, call) {
  const response = await callCardSystem('QueryApplication', { apply_no: applyNo }, call);
  if (response.result_code !== 'SUCCESS') {
    throw response.err_code === 'APPLY_NOT_EXIST'
      ? new GatewayError(grpc.status.NOT_FOUND, `card system has no application ${applyNo}`)
      : new GatewayError(grpc.status.INTERNAL, `card system answered QueryApplication with ${response.result_code}/${response.err_code}`);
  }
  switch (response.status) {
    case 'MAKING':
      return outcome.accepted(applyNo);
    case 'MADE':
      return outcome.completed(applyNo, { card_number: response.card_no, bank_account: response.bank_account });
    case 'FAILED':
      return outcome.rejected(applyNo, reasons.productionFailed(response.fail_reason));
    default:
      throw new GatewayError(grpc.status.INTERNAL, `card system answered status '${response.status}'`);
  }
}

async function getItemStatus(call) {
  const request = call.request;
  if (request.item_code !== ITEM_CODE) {
    throw new GatewayError(grpc.status.INVALID_ARGUMENT, `this gateway carries ${ITEM_CODE} only, not ${request.item_code}`);
  }
  if (!request.case_number) {
    throw new GatewayError(grpc.status.NOT_FOUND, 'no case number given');
  }
  return query(request.case_number, call);
}

/** Adapts an async handler to grpc-js: an outcome becomes the response, a GatewayError its status. */
function unary(handler, wrap) {
  return (call, callback) => {
    handler(call).then(
      (result) => callback(null, wrap(result)),
      (error) => {
        if (error instanceof GatewayError) {
          callback({ code: error.code, details: error.message });
        } else {
          console.error(`[${call.request.correlation_id}] unexpected failure:`, error);
          callback({ code: grpc.status.INTERNAL, details: 'gateway failure' });
        }
      },
    );
  };
}

const server = new grpc.Server();
server.addService(gateway.DepartmentGatewayService.service, {
  SubmitItem: unary(submitItem, (o) => ({ outcome: o })),
  GetItemStatus: unary(getItemStatus, (o) => ({ outcome: o })),
});

server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
  if (error) {
    console.error(`cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  }
  console.log(`node gateway adapter listening on ${host}:${boundPort}, card system at ${sscardEndpoint}`);
});

function shutdown() {
  server.tryShutdown(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
