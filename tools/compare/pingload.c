/*
 * pingload: a neutral WebSocket ping load generator for tools/compare.
 *
 * One thread, epoll, non-blocking sockets, plain ws:// on loopback only. It opens N
 * WebSocket connections (HTTP/1.1 upgrade, random Sec-WebSocket-Key, no extensions or
 * subprotocols offered; the 101, Upgrade, Connection and Sec-WebSocket-Accept are
 * checked) and then runs one of two modes:
 *
 *   ping  keeps K masked ping frames in flight per connection (closed loop: every
 *         matching pong sends the next ping), runs a warm-up, then a measured window,
 *         and reports pongs/s, round-trip percentiles and errors. With --server-pid it
 *         also reads the server's utime+stime (/proc/PID/stat) and core 0's busy time
 *         (/proc/stat) at the exact edges of the measured window.
 *   idle  opens --baseline connections, waits 1 s, reads the server's VmRSS, opens the
 *         rest, holds everything idle for --settle seconds and reads VmRSS again.
 *
 * Server-initiated pings are answered with pongs; a close frame, a reset, a bad frame or
 * a pong that matches no outstanding ping counts as an error. The last line on stdout is
 * `RESULT key=value ...`; progress goes to stderr. Exit 0 when every connection opened
 * (and, in ping mode, pongs came back), 1 otherwise, 2 on bad usage.
 *
 * Ping payload (16..125 bytes): u32 connection index, u32 sequence, u64 send time (ns),
 * then filler bytes derived from the sequence; a pong counts only when its payload is
 * byte-for-byte the payload of the oldest outstanding ping (RFC 6455 lets a server answer
 * only the latest of several pings; such skipped pings are counted as `coalesced`).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---------- options ---------- */

static const char *opt_mode = NULL;
static const char *opt_host = "127.0.0.1";
static int opt_port = 0;
static const char *opt_path = "/echo";
static int opt_conns = 1000;
static int opt_inflight = 4;
static double opt_duration = 20.0;
static double opt_warmup = 3.0;
static int opt_payload = 16;
static double opt_settle = 3.0;
static int opt_baseline = 100;
static int opt_server_pid = 0;
static int opt_parallel = 64;
static double opt_connect_timeout = 120.0;

/* ---------- small helpers ---------- */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *message) {
    fprintf(stderr, "pingload: %s\n", message);
    exit(1);
}

static uint64_t rng_state;
static uint64_t rng_next(void) { /* xorshift64*, for mask keys only */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static void random_bytes(uint8_t *out, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t n = getrandom(out + done, count - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("getrandom failed");
        }
        done += (size_t)n;
    }
}

/* ---------- SHA-1 and base64, for Sec-WebSocket-Accept (RFC 6455 section 4.2.2) ---------- */

static uint32_t rol32(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void sha1(const uint8_t *data, size_t length, uint8_t digest[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t total = ((length + 8) / 64 + 1) * 64;
    uint8_t *message = calloc(total, 1);
    if (!message) die("out of memory");
    memcpy(message, data, length);
    message[length] = 0x80;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) message[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t chunk = 0; chunk < total; chunk += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) {
            const uint8_t *p = message + chunk + 4 * i;
            w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        }
        for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
            else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
            else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
            else { f = b ^ c ^ d; k = 0xCA62C1D6; }
            uint32_t t = rol32(a, 5) + f + e + k + w[i];
            e = d; d = c; c = rol32(b, 30); b = a; a = t;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
    }
    free(message);
    for (int i = 0; i < 5; i++) {
        digest[4 * i] = (uint8_t)(h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)h[i];
    }
}

static void base64(const uint8_t *in, size_t length, char *out) {
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < length) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < length) v |= in[i + 2];
        out[o++] = table[(v >> 18) & 63];
        out[o++] = table[(v >> 12) & 63];
        out[o++] = i + 1 < length ? table[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < length ? table[v & 63] : '=';
    }
    out[o] = 0;
}

static void self_test(void) {
    /* RFC 6455 section 1.3's example key and accept value. */
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    char input[128];
    snprintf(input, sizeof input, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    uint8_t digest[20];
    char accept[32];
    sha1((const uint8_t *)input, strlen(input), digest);
    base64(digest, 20, accept);
    if (strcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != 0) die("SHA-1/base64 self-test failed");
}

/* ---------- connections ---------- */

enum { IDLE_SLOT, CONNECTING, HANDSHAKING, OPEN, CLOSED };
#define RBUF_CAP 8192

typedef struct {
    int fd;
    int state;
    uint32_t index;
    char accept[32];
    uint8_t *rbuf;
    size_t rlen;
    uint8_t *wbuf;
    size_t wlen, wcap;
    int watching_out;
    uint32_t next_seq; /* sequence of the next ping to send */
    uint32_t ack_seq;  /* sequence of the oldest outstanding ping */
    uint64_t *sent_ns; /* ring of opt_inflight send times */
} Conn;

static Conn *conns;
static int epfd;
static int pending = 0;     /* connecting or handshaking */
static int opened = 0;      /* ever reached OPEN */
static int open_now = 0;    /* currently OPEN */
static int started = 0;     /* connections started */
static int sending = 0;     /* ping mode: keep pings flowing */
static int measuring = 0;

/* counters; the "window" ones are reset when the measured window starts */
static uint64_t connect_errors, handshake_errors;
static uint64_t pongs, coalesced, mismatched, closed_by_server, protocol_errors, io_errors, unexpected_messages;
static uint64_t server_pings;

/* Round trips in µs, log-linear: exact below 2048 µs, then 1024 buckets per power of
 * two (under 0.1 % error), up to 2^41 µs. */
#define HIST_BUCKETS (2048 + 31 * 1024)
static uint64_t hist[HIST_BUCKETS];
static uint64_t rtt_max_ns;

static int bucket_of(uint64_t us) {
    if (us < 2048) return (int)us;
    int shift = 63 - __builtin_clzll(us) - 10; /* us >> shift is in [1024, 2048) */
    int b = 2048 + (shift - 1) * 1024 + (int)((us >> shift) - 1024);
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

static double bucket_value(int b) { /* the middle of bucket b, in µs */
    if (b < 2048) return b + 0.5;
    int shift = (b - 2048) / 1024 + 1;
    uint64_t mantissa = 1024 + (uint64_t)((b - 2048) % 1024);
    return (double)(mantissa << shift) + (double)(1ull << shift) / 2.0;
}

static void watch(Conn *c, uint32_t events, int op) {
    struct epoll_event ev = {.events = events, .data.u32 = c->index};
    if (epoll_ctl(epfd, op, c->fd, &ev) < 0) die("epoll_ctl failed");
}

static void close_conn(Conn *c, int was_error_kind) {
    (void)was_error_kind;
    if (c->state == CLOSED) return;
    if (c->state == CONNECTING || c->state == HANDSHAKING) pending--;
    if (c->state == OPEN) open_now--;
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    struct linger lg = {1, 0}; /* reset, so no TIME_WAIT piles up across runs */
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c->fd);
    c->fd = -1;
    c->state = CLOSED;
}

static void wbuf_reserve(Conn *c, size_t extra) {
    if (c->wlen + extra <= c->wcap) return;
    size_t cap = c->wcap ? c->wcap : 256;
    while (cap < c->wlen + extra) cap *= 2;
    c->wbuf = realloc(c->wbuf, cap);
    if (!c->wbuf) die("out of memory");
    c->wcap = cap;
}

/* Appends one masked client frame (FIN set) with the given opcode and payload. */
static void append_frame(Conn *c, uint8_t opcode, const uint8_t *payload, size_t length) {
    wbuf_reserve(c, 14 + length);
    uint8_t *p = c->wbuf + c->wlen;
    size_t n = 0;
    p[n++] = 0x80 | opcode;
    if (length < 126) {
        p[n++] = 0x80 | (uint8_t)length;
    } else if (length < 65536) {
        p[n++] = 0x80 | 126;
        p[n++] = (uint8_t)(length >> 8);
        p[n++] = (uint8_t)length;
    } else {
        p[n++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--) p[n++] = (uint8_t)((uint64_t)length >> (8 * i));
    }
    uint32_t key32 = (uint32_t)rng_next();
    uint8_t key[4];
    memcpy(key, &key32, 4);
    memcpy(p + n, key, 4);
    n += 4;
    for (size_t i = 0; i < length; i++) p[n + i] = payload[i] ^ key[i & 3];
    c->wlen += n + length;
}

static void make_payload(uint8_t *out, uint32_t index, uint32_t seq, uint64_t sent) {
    memcpy(out, &index, 4);
    memcpy(out + 4, &seq, 4);
    memcpy(out + 8, &sent, 8);
    for (int i = 16; i < opt_payload; i++) out[i] = (uint8_t)(seq * 31u + (uint32_t)i);
}

static void queue_ping(Conn *c, uint64_t now) {
    uint8_t payload[125];
    uint32_t seq = c->next_seq++;
    c->sent_ns[seq % (uint32_t)opt_inflight] = now;
    make_payload(payload, c->index, seq, now);
    append_frame(c, 0x9, payload, (size_t)opt_payload);
}

static void flush(Conn *c) {
    size_t done = 0;
    while (done < c->wlen) {
        ssize_t n = send(c->fd, c->wbuf + done, c->wlen - done, MSG_NOSIGNAL);
        if (n > 0) { done += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (c->state == OPEN) io_errors++; else handshake_errors++;
        close_conn(c, 1);
        return;
    }
    if (done) {
        memmove(c->wbuf, c->wbuf + done, c->wlen - done);
        c->wlen -= done;
    }
    int want_out = c->wlen > 0;
    if (want_out != c->watching_out) {
        watch(c, EPOLLIN | (want_out ? EPOLLOUT : 0), EPOLL_CTL_MOD);
        c->watching_out = want_out;
    }
}

static void start_connect(int i) {
    Conn *c = &conns[i];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("pingload: socket"); die("cannot create a socket (raise ulimit -n?)"); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt_port)};
    if (inet_pton(AF_INET, opt_host, &addr.sin_addr) != 1) die("--host must be an IPv4 address");
    c->fd = fd;
    c->index = (uint32_t)i;
    c->rlen = 0;
    c->wlen = 0;
    c->watching_out = 1;
    c->state = CONNECTING;
    pending++;
    started++;
    int rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
    if (rc < 0 && errno != EINPROGRESS) {
        connect_errors++;
        watch(c, EPOLLOUT, EPOLL_CTL_ADD);
        close_conn(c, 1);
        return;
    }
    watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
}

static void send_handshake(Conn *c) {
    uint8_t nonce[16];
    char key[32], input[96];
    uint8_t digest[20];
    random_bytes(nonce, sizeof nonce);
    base64(nonce, sizeof nonce, key);
    snprintf(input, sizeof input, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    sha1((const uint8_t *)input, strlen(input), digest);
    base64(digest, 20, c->accept);
    char request[512];
    int n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     opt_path, opt_host, opt_port, key);
    wbuf_reserve(c, (size_t)n);
    memcpy(c->wbuf + c->wlen, request, (size_t)n);
    c->wlen += (size_t)n;
    c->state = HANDSHAKING;
    flush(c);
}

static int header_has_token(const char *value, size_t length, const char *token) {
    size_t t = strlen(token);
    for (size_t i = 0; i + t <= length; i++) {
        if (strncasecmp(value + i, token, t) == 0) {
            int left = i == 0 || value[i - 1] == ' ' || value[i - 1] == ',' || value[i - 1] == '\t';
            int right = i + t == length || value[i + t] == ' ' || value[i + t] == ',' || value[i + t] == '\t';
            if (left && right) return 1;
        }
    }
    return 0;
}

static int handshake_fail(Conn *c, const char *why) {
    static int reported = 0;
    if (reported++ < 5) fprintf(stderr, "pingload: handshake failed on connection %u: %s\n", c->index, why);
    handshake_errors++;
    close_conn(c, 1);
    return -1;
}

/* Returns 1 when the response head is complete and valid, 0 when more is needed. */
static int parse_handshake(Conn *c) {
    uint8_t *end = memmem(c->rbuf, c->rlen, "\r\n\r\n", 4);
    if (!end) {
        if (c->rlen >= RBUF_CAP) return handshake_fail(c, "response head too large");
        return 0;
    }
    size_t head_length = (size_t)(end - c->rbuf) + 4;
    char *head = (char *)c->rbuf;
    if (head_length < 12 || strncmp(head, "HTTP/1.1 101", 12) != 0) {
        char line[80];
        size_t l = 0;
        while (l < sizeof line - 1 && l < head_length && head[l] != '\r') { line[l] = head[l]; l++; }
        line[l] = 0;
        return handshake_fail(c, line);
    }
    int upgrade = 0, connection = 0, accept = 0;
    char *line = memmem(head, head_length, "\r\n", 2) + 2;
    while (line < head + head_length - 2) {
        char *eol = memmem(line, (size_t)(head + head_length - line), "\r\n", 2);
        char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon) return handshake_fail(c, "malformed header line");
        size_t name_length = (size_t)(colon - line);
        char *value = colon + 1;
        while (value < eol && (*value == ' ' || *value == '\t')) value++;
        char *value_end = eol;
        while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t')) value_end--;
        size_t value_length = (size_t)(value_end - value);
#define IS(name) (name_length == strlen(name) && strncasecmp(line, name, name_length) == 0)
        if (IS("Upgrade")) upgrade = value_length == 9 && strncasecmp(value, "websocket", 9) == 0;
        else if (IS("Connection")) connection = header_has_token(value, value_length, "upgrade");
        else if (IS("Sec-WebSocket-Accept"))
            accept = value_length == strlen(c->accept) && memcmp(value, c->accept, value_length) == 0;
        else if (IS("Sec-WebSocket-Extensions")) return handshake_fail(c, "server chose an extension none was offered");
        else if (IS("Sec-WebSocket-Protocol")) return handshake_fail(c, "server chose a subprotocol none was offered");
#undef IS
        line = eol + 2;
    }
    if (!upgrade) return handshake_fail(c, "no Upgrade: websocket");
    if (!connection) return handshake_fail(c, "no Connection: upgrade");
    if (!accept) return handshake_fail(c, "wrong or missing Sec-WebSocket-Accept");
    memmove(c->rbuf, c->rbuf + head_length, c->rlen - head_length);
    c->rlen -= head_length;
    c->state = OPEN;
    pending--;
    opened++;
    open_now++;
    return 1;
}

static void record_rtt(uint64_t rtt) {
    hist[bucket_of(rtt / 1000)]++;
    if (rtt > rtt_max_ns) rtt_max_ns = rtt;
}

static void on_pong(Conn *c, const uint8_t *payload, size_t length, uint64_t now) {
    uint8_t expected[125];
    if ((int)length == opt_payload) {
        uint32_t index, seq;
        memcpy(&index, payload, 4);
        memcpy(&seq, payload + 4, 4);
        /* The oldest outstanding ping, or a later one when the server coalesced. */
        if (index == c->index && seq - c->ack_seq < c->next_seq - c->ack_seq) {
            uint64_t sent = c->sent_ns[seq % (uint32_t)opt_inflight];
            make_payload(expected, c->index, seq, sent);
            if (memcmp(expected, payload, length) == 0) {
                uint32_t answered = seq - c->ack_seq + 1;
                if (measuring) {
                    pongs++;
                    coalesced += answered - 1;
                    record_rtt(now - sent);
                }
                c->ack_seq = seq + 1;
                if (sending)
                    for (uint32_t i = 0; i < answered; i++) queue_ping(c, now);
                return;
            }
        }
    }
    if (measuring) mismatched++;
}

/* Parses every complete server frame in rbuf. Returns -1 when the connection was closed. */
static int parse_frames(Conn *c, uint64_t now) {
    size_t offset = 0;
    while (c->rlen - offset >= 2) {
        uint8_t *p = c->rbuf + offset;
        size_t available = c->rlen - offset;
        uint8_t opcode = p[0] & 0x0f;
        int fin = p[0] & 0x80;
        if ((p[0] & 0x70) || (p[1] & 0x80)) { /* no extension: no RSV bits; servers never mask */
            protocol_errors++;
            close_conn(c, 1);
            return -1;
        }
        uint64_t length = p[1] & 0x7f;
        size_t header = 2;
        if (length == 126) {
            if (available < 4) break;
            length = (uint64_t)p[2] << 8 | p[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10) break;
            length = 0;
            for (int i = 0; i < 8; i++) length = length << 8 | p[2 + i];
            header = 10;
        }
        if (header + length > RBUF_CAP) { /* this tool never asks for large frames */
            protocol_errors++;
            close_conn(c, 1);
            return -1;
        }
        if (available < header + length) break;
        const uint8_t *payload = p + header;
        switch (opcode) {
        case 0xA:
            if (!fin) { protocol_errors++; close_conn(c, 1); return -1; }
            on_pong(c, payload, (size_t)length, now);
            break;
        case 0x9: /* a server's keep-alive ping: answer it */
            if (!fin || length > 125) { protocol_errors++; close_conn(c, 1); return -1; }
            server_pings++;
            append_frame(c, 0xA, payload, (size_t)length);
            break;
        case 0x8:
            closed_by_server++;
            close_conn(c, 1);
            return -1;
        case 0x0: case 0x1: case 0x2:
            unexpected_messages++;
            break;
        default:
            protocol_errors++;
            close_conn(c, 1);
            return -1;
        }
        offset += header + (size_t)length;
    }
    if (offset) {
        memmove(c->rbuf, c->rbuf + offset, c->rlen - offset);
        c->rlen -= offset;
    }
    return 0;
}

static void on_event(Conn *c, uint32_t events) {
    if (c->state == CLOSED) return;
    if (c->state == CONNECTING) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error || (events & (EPOLLERR | EPOLLHUP))) {
            static int reported = 0;
            if (reported++ < 5) fprintf(stderr, "pingload: connect failed: %s\n", strerror(error ? error : ECONNREFUSED));
            connect_errors++;
            close_conn(c, 1);
            return;
        }
        if (!(events & EPOLLOUT)) return;
        send_handshake(c);
        return;
    }
    if ((events & EPOLLOUT) && c->wlen) {
        flush(c);
        if (c->state == CLOSED) return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        ssize_t n = recv(c->fd, c->rbuf + c->rlen, RBUF_CAP - c->rlen, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR && errno != EWOULDBLOCK)) {
            if (c->state == HANDSHAKING) handshake_fail(c, n == 0 ? "connection closed" : strerror(errno));
            else { io_errors++; close_conn(c, 1); }
            return;
        }
        if (n < 0) return;
        c->rlen += (size_t)n;
        uint64_t now = now_ns();
        if (c->state == HANDSHAKING) {
            if (parse_handshake(c) <= 0) return;
        }
        if (parse_frames(c, now) < 0) return;
        flush(c);
    }
}

/* Runs the event loop for at most timeout_ms. */
static void poll_once(int timeout_ms) {
    static struct epoll_event events[1024];
    int n = epoll_wait(epfd, events, 1024, timeout_ms);
    if (n < 0) {
        if (errno == EINTR) return;
        die("epoll_wait failed");
    }
    for (int i = 0; i < n; i++) on_event(&conns[events[i].data.u32], events[i].events);
}

/* Opens connections [from, to) with at most opt_parallel handshakes at once. */
static int open_connections(int from, int to) {
    uint64_t deadline = now_ns() + (uint64_t)(opt_connect_timeout * 1e9);
    int next = from;
    while (next < to || pending > 0) {
        while (next < to && pending < opt_parallel) start_connect(next++);
        poll_once(50);
        if (now_ns() > deadline) {
            fprintf(stderr, "pingload: connecting timed out with %d handshakes pending\n", pending);
            return -1;
        }
    }
    return 0;
}

/* ---------- /proc readings of the server ---------- */

static long long proc_cpu_ms(int pid) { /* utime + stime of the whole process */
    char path[64], buffer[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buffer, 1, sizeof buffer - 1, f);
    fclose(f);
    buffer[n] = 0;
    char *p = strrchr(buffer, ')');
    if (!p) return -1;
    p += 2; /* field 3, the state */
    unsigned long long utime = 0, stime = 0;
    if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    return (long long)((utime + stime) * 1000ull / (unsigned long long)ticks);
}

static long long proc_rss_kib(int pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long long kib = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) { kib = atoll(line + 6); break; }
    fclose(f);
    return kib;
}

/* core 0's busy and total jiffies (busy excludes idle and iowait) */
static void core0_jiffies(unsigned long long *busy, unsigned long long *total) {
    *busy = *total = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "cpu0 ", 5) != 0) continue;
        unsigned long long v[10] = {0};
        int n = sscanf(line + 5, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                       &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
        for (int i = 0; i < n && i < 8; i++) *total += v[i]; /* guest time is already in user */
        *busy = *total - v[3] - v[4];
        break;
    }
    fclose(f);
}

static double cpu_seconds_self(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double percentile_us(uint64_t total, double q) {
    if (total == 0) return 0;
    uint64_t rank = (uint64_t)(q * (double)total);
    if (rank >= total) rank = total - 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += hist[i];
        if (seen > rank) return bucket_value(i);
    }
    return bucket_value(HIST_BUCKETS - 1);
}

/* ---------- modes ---------- */

static int run_ping(void) {
    if (open_connections(0, opt_conns) < 0 || opened < opt_conns) {
        printf("RESULT mode=ping connections=%d opened=%d connect_errors=%llu handshake_errors=%llu\n", opt_conns,
               opened, (unsigned long long)connect_errors, (unsigned long long)handshake_errors);
        return 1;
    }
    fprintf(stderr, "pingload: %d connections open; warming up for %.1f s\n", opened, opt_warmup);
    sending = 1;
    uint64_t now = now_ns();
    for (int i = 0; i < opt_conns; i++) {
        Conn *c = &conns[i];
        if (c->state != OPEN) continue;
        for (int k = 0; k < opt_inflight; k++) queue_ping(c, now);
        flush(c);
    }
    uint64_t window_start = now + (uint64_t)(opt_warmup * 1e9);
    while (now_ns() < window_start) poll_once(10);

    int open_at_start = open_now;
    pongs = coalesced = mismatched = closed_by_server = protocol_errors = io_errors = unexpected_messages = 0;
    memset(hist, 0, sizeof hist);
    rtt_max_ns = 0;
    long long server_cpu_start = opt_server_pid ? proc_cpu_ms(opt_server_pid) : -1;
    unsigned long long busy0_start, total0_start;
    core0_jiffies(&busy0_start, &total0_start);
    double self_start = cpu_seconds_self();
    uint64_t t0 = now_ns();
    measuring = 1;
    uint64_t window_end = t0 + (uint64_t)(opt_duration * 1e9);
    while ((now = now_ns()) < window_end) {
        uint64_t left_ms = (window_end - now) / 1000000;
        poll_once(left_ms < 10 ? (int)left_ms : 10);
    }
    uint64_t t1 = now_ns();
    measuring = 0;
    long long server_cpu_end = opt_server_pid ? proc_cpu_ms(opt_server_pid) : -1;
    unsigned long long busy0_end, total0_end;
    core0_jiffies(&busy0_end, &total0_end);
    double self_end = cpu_seconds_self();
    sending = 0;

    double seconds = (double)(t1 - t0) / 1e9;
    uint64_t errors = mismatched + closed_by_server + protocol_errors + io_errors;
    double core0_busy = total0_end > total0_start
                            ? 100.0 * (double)(busy0_end - busy0_start) / (double)(total0_end - total0_start) : -1;
    printf("RESULT mode=ping connections=%d inflight=%d payload=%d window_s=%.3f pongs=%llu pongs_per_s=%.0f "
           "p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%llu mismatched=%llu closed_by_server=%llu "
           "protocol_errors=%llu io_errors=%llu coalesced=%llu unexpected_messages=%llu server_pings=%llu "
           "open_at_start=%d open_at_end=%d server_cpu_ms=%lld core0_busy_pct=%.1f generator_cpu_pct=%.1f\n",
           opt_conns, opt_inflight, opt_payload, seconds, (unsigned long long)pongs, (double)pongs / seconds,
           percentile_us(pongs, 0.50), percentile_us(pongs, 0.99), percentile_us(pongs, 0.999), rtt_max_ns / 1e3,
           (unsigned long long)errors, (unsigned long long)mismatched, (unsigned long long)closed_by_server,
           (unsigned long long)protocol_errors, (unsigned long long)io_errors, (unsigned long long)coalesced,
           (unsigned long long)unexpected_messages, (unsigned long long)server_pings, open_at_start, open_now,
           server_cpu_start >= 0 && server_cpu_end >= 0 ? server_cpu_end - server_cpu_start : -1LL, core0_busy,
           100.0 * (self_end - self_start) / seconds);
    return pongs > 0 ? 0 : 1;
}

static int run_idle(void) {
    int baseline = opt_baseline < opt_conns ? opt_baseline : 0;
    long long rss_fresh = opt_server_pid ? proc_rss_kib(opt_server_pid) : -1;
    if (baseline > 0) {
        if (open_connections(0, baseline) < 0) return 1;
        uint64_t until = now_ns() + 1000000000ull;
        while (now_ns() < until) poll_once(20);
    }
    long long rss_base = opt_server_pid ? proc_rss_kib(opt_server_pid) : -1;
    int open_at_base = open_now;
    uint64_t t0 = now_ns();
    int rc = open_connections(baseline, opt_conns);
    double connect_seconds = (double)(now_ns() - t0) / 1e9;
    int handshakes = opened - open_at_base;
    fprintf(stderr, "pingload: %d of %d connections open in %.1f s; holding them idle for %.1f s\n", opened, opt_conns,
            connect_seconds, opt_settle);
    uint64_t until = now_ns() + (uint64_t)(opt_settle * 1e9);
    while (now_ns() < until) poll_once(20);
    long long rss_after = opt_server_pid ? proc_rss_kib(opt_server_pid) : -1;
    int measured = open_now - open_at_base; /* connections added since the baseline reading */
    printf("RESULT mode=idle connections=%d baseline=%d opened=%d open_at_end=%d connect_s=%.2f "
           "handshakes_per_s=%.0f settle_s=%.1f rss_fresh_kib=%lld rss_base_kib=%lld rss_after_kib=%lld "
           "kib_per_conn=%.2f connect_errors=%llu handshake_errors=%llu closed_by_server=%llu io_errors=%llu "
           "protocol_errors=%llu server_pings=%llu\n",
           opt_conns, baseline, opened, open_now, connect_seconds, (double)handshakes / connect_seconds, opt_settle,
           rss_fresh, rss_base, rss_after,
           rss_base >= 0 && rss_after >= 0 && measured > 0 ? (double)(rss_after - rss_base) / measured : -1.0,
           (unsigned long long)connect_errors, (unsigned long long)handshake_errors,
           (unsigned long long)closed_by_server, (unsigned long long)io_errors, (unsigned long long)protocol_errors,
           (unsigned long long)server_pings);
    return rc == 0 && opened == opt_conns && open_now == opt_conns ? 0 : 1;
}

static int is_option(const char *argument, const char *long_name, const char *short_name) {
    return strcmp(argument, long_name) == 0 || (short_name && strcmp(argument, short_name) == 0);
}

static void usage(void) {
    fprintf(stderr,
            "usage: pingload ping|idle --port P [options]\n"
            "  --host A             IPv4 address (default 127.0.0.1)\n"
            "  --path /echo         request path\n"
            "  -c, --connections N  connections (default 1000)\n"
            "  -k, --inflight K     ping mode: pings in flight per connection (default 4)\n"
            "  -d, --duration S     ping mode: measured window in seconds (default 20)\n"
            "  -w, --warmup S       ping mode: load before the window (default 3)\n"
            "  --payload B          ping payload bytes, 16..125 (default 16)\n"
            "  --settle S           idle mode: seconds to hold before reading RSS (default 3)\n"
            "  --baseline B         idle mode: connections opened before the baseline RSS (default 100)\n"
            "  --server-pid PID     read the server's CPU time / RSS from /proc\n"
            "  --parallel C         handshakes in progress at once (default 64)\n"
            "  --connect-timeout S  give up connecting after S seconds (default 120)\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    opt_mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(long_name, short_name) (is_option(a, long_name, short_name) && v && ++i)
        if (ARG("--host", NULL)) opt_host = v;
        else if (ARG("--port", "-p")) opt_port = atoi(v);
        else if (ARG("--path", NULL)) opt_path = v;
        else if (ARG("--connections", "-c")) opt_conns = atoi(v);
        else if (ARG("--inflight", "-k")) opt_inflight = atoi(v);
        else if (ARG("--duration", "-d")) opt_duration = atof(v);
        else if (ARG("--warmup", "-w")) opt_warmup = atof(v);
        else if (ARG("--payload", NULL)) opt_payload = atoi(v);
        else if (ARG("--settle", NULL)) opt_settle = atof(v);
        else if (ARG("--baseline", NULL)) opt_baseline = atoi(v);
        else if (ARG("--server-pid", NULL)) opt_server_pid = atoi(v);
        else if (ARG("--parallel", NULL)) opt_parallel = atoi(v);
        else if (ARG("--connect-timeout", NULL)) opt_connect_timeout = atof(v);
        else usage();
#undef ARG
    }
    int ping = strcmp(opt_mode, "ping") == 0;
    if ((!ping && strcmp(opt_mode, "idle") != 0) || opt_port <= 0 || opt_port > 65535 || opt_conns < 1 ||
        opt_inflight < 1 || opt_inflight > 1024 || opt_payload < 16 || opt_payload > 125 || opt_duration <= 0 ||
        opt_warmup < 0 || opt_parallel < 1 || opt_baseline < 0)
        usage();
    if (strncmp(opt_host, "127.", 4) != 0) die("loopback only: --host must be in 127.0.0.0/8");
    self_test();
    signal(SIGPIPE, SIG_IGN);
    random_bytes((uint8_t *)&rng_state, sizeof rng_state);
    rng_state |= 1;

    conns = calloc((size_t)opt_conns, sizeof(Conn));
    if (!conns) die("out of memory");
    for (int i = 0; i < opt_conns; i++) {
        conns[i].fd = -1;
        conns[i].rbuf = malloc(RBUF_CAP);
        conns[i].sent_ns = calloc((size_t)opt_inflight, sizeof(uint64_t));
        if (!conns[i].rbuf || !conns[i].sent_ns) die("out of memory");
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1 failed");

    int rc = ping ? run_ping() : run_idle();
    fflush(stdout);
    for (int i = 0; i < opt_conns; i++)
        if (conns[i].state != IDLE_SLOT && conns[i].state != CLOSED) close_conn(&conns[i], 0);
    return rc;
}
