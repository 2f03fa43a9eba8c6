/**
 * The messages a step of SIP traffic puts on the wire, pod by pod. The call flow is written out as in
 * a Clearwater deployment: SIPp (on the other server) talks UDP to bono (P-CSCF); bono and sprout
 * (I/S-CSCF) talk TCP; sprout asks homestead (HSS) for iFCs and authentication vectors, homer (XDMS)
 * for MMTEL settings and astaire (memcached) for registrations over HTTP/TCP; homestead and homer read
 * and write Cassandra; ralf sends Rf accounting to a CDF outside the node and keeps its state in
 * astaire and its interim timers in chronos. Both call legs cross bono. RTP flows between the SIPp
 * pods and never touches the vIMS.
 */
import { PODS } from './platform';

/** The other end of a message that is not a vIMS pod. */
export const HOST = -1; // the node's own network namespace (kubelet, probes): stays on the node
export const REMOTE = -2; // another machine (SIPp, the CDF, kube-dns, Prometheus): crosses the node's NIC

const POD = Object.fromEntries(PODS.map((p, i) => [p, i])) as Record<(typeof PODS)[number], number>;
const MSS = 1448;
const TCP_HEADERS = 66; // Ethernet + IPv4 + TCP with timestamps
const UDP_HEADERS = 42;

/** What happened to calls and registrations during one step (counts). */
export interface CallEvents {
  /** Attempts answered and acknowledged: calls that will succeed. */
  connected: number;
  /** Attempts answered whose ACK never arrives (the injected loss blocks it). */
  unacknowledged: number;
  /** Attempts refused by overload control (503) or lost while a SIP pod restarts. */
  rejected: number;
  /** Established calls hung up by the caller (BYE). */
  ended: number;
  /** Unacknowledged calls torn down by the callee once its 2xx retransmissions give up. */
  abandoned: number;
  /** 2xx retransmissions sent by the callee for unacknowledged calls. */
  retransmissions: number;
  /** REGISTER exchanges (digest challenge, then the authenticated REGISTER). */
  registrations: number;
}

export class Traffic {
  readonly rxPackets = new Float64Array(PODS.length);
  readonly txPackets = new Float64Array(PODS.length);
  readonly rxBytes = new Float64Array(PODS.length);
  readonly txBytes = new Float64Array(PODS.length);
  /** Application messages handled (received or sent): what costs user CPU and log lines. */
  readonly messages = new Float64Array(PODS.length);
  /** Requests served as a server, and how many of them change state (writes). */
  readonly requests = new Float64Array(PODS.length);
  readonly writes = new Float64Array(PODS.length);
  /** Traffic through the node's physical NIC. */
  nicRxPackets = 0;
  nicTxPackets = 0;
  nicRxBytes = 0;
  nicTxBytes = 0;

  reset(): void {
    for (const a of [
      this.rxPackets,
      this.txPackets,
      this.rxBytes,
      this.txBytes,
      this.messages,
      this.requests,
      this.writes,
    ]) {
      a.fill(0);
    }
    this.nicRxPackets = this.nicTxPackets = this.nicRxBytes = this.nicTxBytes = 0;
  }

  private packets(at: number, rx: boolean, packets: number, bytes: number): void {
    if (at >= 0) {
      (rx ? this.rxPackets : this.txPackets)[at] += packets;
      (rx ? this.rxBytes : this.txBytes)[at] += bytes;
    } else if (at === REMOTE) {
      // Seen from the node: what a remote peer sends is received by the NIC.
      if (rx) {
        this.nicTxPackets += packets;
        this.nicTxBytes += bytes;
      } else {
        this.nicRxPackets += packets;
        this.nicRxBytes += bytes;
      }
    }
  }

  /** `count` messages of `payload` bytes; over TCP the receiver answers every other segment with a pure ACK. */
  send(from: number, to: number, count: number, payload: number, tcp = true): void {
    if (count <= 0) {
      return;
    }
    const segments = count * Math.ceil(payload / MSS);
    const bytes = count * payload + segments * (tcp ? TCP_HEADERS : UDP_HEADERS);
    this.packets(from, false, segments, bytes);
    this.packets(to, true, segments, bytes);
    if (from >= 0) {
      this.messages[from] += count;
    }
    if (to >= 0) {
      this.messages[to] += count;
    }
    if (tcp) {
      const acks = segments / 2;
      this.packets(to, false, acks, acks * TCP_HEADERS);
      this.packets(from, true, acks, acks * TCP_HEADERS);
    }
  }

  /** A request/response pair. */
  exchange(client: number, server: number, count: number, request: number, response: number, write = false): void {
    if (count <= 0) {
      return;
    }
    this.send(client, server, count, request);
    this.send(server, client, count, response);
    if (server >= 0) {
      this.requests[server] += count;
      if (write) {
        this.writes[server] += count;
      }
    }
  }
}

// SIP payload sizes in bytes (with SDP where the message carries one), as Clearwater forwards them.
const SIP = {
  invite: 1150,
  trying: 380,
  ringing: 620,
  ok: 1050,
  ack: 480,
  bye: 520,
  okBye: 420,
  unavailable: 450,
  register: 700,
  unauthorized: 620,
  okRegister: 750,
};

const { bono, sprout, homestead, ralf, homer, astaire, chronos, cassandra } = POD;

/** A message from one SIPp endpoint to the other: UAC -> bono -> sprout -> bono -> UAS (or back). */
function endToEnd(tr: Traffic, count: number, size: number): void {
  tr.send(REMOTE, bono, count, size, false);
  tr.send(bono, sprout, count, size + 40);
  tr.send(sprout, bono, count, size + 80);
  tr.send(bono, REMOTE, count, size + 120, false);
}

/** Accounting request from sprout to ralf, which keeps session state and forwards to the CDF. */
function accounting(tr: Traffic, count: number, start: boolean): void {
  tr.exchange(sprout, ralf, count, 900, 150);
  tr.exchange(ralf, astaire, count, start ? 1200 : 80, start ? 60 : 1200, start);
  tr.exchange(ralf, chronos, count, start ? 400 : 300, start ? 200 : 150, true);
  tr.exchange(ralf, REMOTE, count, 600, 250);
}

function callSetup(tr: Traffic, count: number): void {
  endToEnd(tr, count, SIP.invite);
  // 100 Trying is hop by hop: bono to the UAC, sprout to bono, the UAS to bono.
  tr.send(bono, REMOTE, count, SIP.trying, false);
  tr.send(sprout, bono, count, SIP.trying);
  tr.send(REMOTE, bono, count, SIP.trying, false);
  // Originating and terminating iFCs (homestead, backed by Cassandra), MMTEL settings of both
  // parties (homer, backed by Cassandra), the callee's bindings (astaire).
  tr.exchange(sprout, homestead, 2 * count, 350, 1800);
  tr.exchange(homestead, cassandra, 2 * count, 220, 900);
  tr.exchange(sprout, homer, 2 * count, 380, 900);
  tr.exchange(homer, cassandra, 2 * count, 200, 700);
  tr.exchange(sprout, astaire, count, 80, 1400);
  endToEnd(tr, count, SIP.ringing);
  endToEnd(tr, count, SIP.ok);
  accounting(tr, count, true);
}

function teardown(tr: Traffic, count: number): void {
  endToEnd(tr, count, SIP.bye);
  endToEnd(tr, count, SIP.okBye);
  accounting(tr, count, false);
}

/** Adds the messages of one step's call and registration events. */
export function callTraffic(tr: Traffic, ev: CallEvents): void {
  callSetup(tr, ev.connected + ev.unacknowledged);
  endToEnd(tr, ev.connected, SIP.ack);
  // Proxies forward every 2xx retransmission end to end (RFC 3261 16.7): both bono legs and sprout see it.
  endToEnd(tr, ev.retransmissions, SIP.ok);
  teardown(tr, ev.ended + ev.abandoned);

  // A refused INVITE: bono relays it, sprout answers 503, the UAC's ACK for the error stops at sprout.
  tr.send(REMOTE, bono, ev.rejected, SIP.invite, false);
  tr.send(bono, REMOTE, ev.rejected, SIP.trying, false);
  tr.send(bono, sprout, ev.rejected, SIP.invite + 40);
  tr.send(sprout, bono, ev.rejected, SIP.unavailable);
  tr.send(bono, REMOTE, ev.rejected, SIP.unavailable + 40, false);
  tr.send(REMOTE, bono, ev.rejected, SIP.ack, false);
  tr.send(bono, sprout, ev.rejected, SIP.ack + 40);

  const r = ev.registrations;
  tr.send(REMOTE, bono, r, SIP.register, false);
  tr.send(bono, sprout, r, SIP.register + 40);
  tr.exchange(sprout, homestead, r, 400, 1500); // authentication vector
  tr.exchange(homestead, cassandra, r, 220, 900);
  tr.send(sprout, bono, r, SIP.unauthorized);
  tr.send(bono, REMOTE, r, SIP.unauthorized + 40, false);
  tr.send(REMOTE, bono, r, SIP.register + 120, false);
  tr.send(bono, sprout, r, SIP.register + 160);
  tr.exchange(sprout, homestead, r, 450, 1600); // registration state and iFCs
  tr.exchange(homestead, cassandra, r, 700, 60, true);
  tr.exchange(sprout, astaire, r, 80, 1400);
  tr.exchange(sprout, astaire, r, 1500, 60, true);
  tr.exchange(sprout, chronos, r, 500, 200, true); // registration expiry timer
  tr.send(sprout, bono, r, SIP.okRegister);
  tr.send(bono, REMOTE, r, SIP.okRegister + 40, false);
}

/**
 * Traffic that does not depend on calls, for `seconds`: every Clearwater pod watches its shared
 * configuration in etcd, the SIP pods resolve names through kube-dns (on the other server), the
 * database clients keep their connection pools alive, and Prometheus scrapes node-exporter and the
 * kubelet's cAdvisor every 5 s from the other server while the kubelet talks to the API server.
 * Counts are mean rates; the caller adds the noise.
 */
export function backgroundTraffic(tr: Traffic, seconds: number, draw: (mean: number) => number): void {
  for (let p = 0; p < PODS.length; p++) {
    if (p !== POD.etcd) {
      tr.exchange(p, POD.etcd, draw(0.2 * seconds), 260, 420);
      tr.exchange(p, POD.etcd, draw(seconds / 60), 320, 300, true); // refreshes its cluster-membership key
    }
  }
  for (const p of [bono, sprout, ralf]) {
    tr.exchange(p, REMOTE, draw(0.3 * seconds), 80, 160);
  }
  for (const p of [homestead, homer]) {
    tr.exchange(p, cassandra, draw(seconds / 30), 40, 40);
  }
  const scrapes = draw(seconds / 5);
  tr.exchange(REMOTE, HOST, scrapes, 280, 90000); // node-exporter, gzip
  tr.exchange(REMOTE, HOST, scrapes, 300, 140000); // kubelet /metrics/cadvisor, gzip
  tr.exchange(HOST, REMOTE, draw(4 * seconds), 900, 1200); // kubelet <-> API server
}
