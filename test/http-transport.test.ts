import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { AddressInfo } from "node:net";
import forge from "node-forge";
import { GisHttpClient, TransportError, standUrl } from "../src/transport/http";

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((r) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => r(b));
  });

test("http: proxy mode sends the certificate fingerprint, SOAPAction and the body as UTF-8", async () => {
  let seen: { headers: http.IncomingHttpHeaders; body: string; url: string } | null = null;
  const s = await serve(async (req, res) => {
    seen = { headers: req.headers, body: await readBody(req), url: req.url! };
    res.writeHead(200, { "Content-Type": "text/xml" }).end("<ack>Принято</ack>");
  });
  const c = new GisHttpClient({ baseUrl: s.url, mode: "proxy", certFingerprint: "AB12CD" });
  try {
    const a = await c.post("/ext-bus-home-management-service/services/HomeManagementAsync", "urn:importAccountData", "<x>Иванов &amp; Ко</x>");
    assert.equal(a.status, 200);
    assert.equal(a.body, "<ack>Принято</ack>");
    assert.equal(seen!.headers["x-client-cert-fingerprint"], "AB12CD");
    assert.equal(seen!.headers.soapaction, '"urn:importAccountData"');
    assert.equal(seen!.headers["content-type"], "text/xml; charset=utf-8");
    assert.equal(seen!.body, "<x>Иванов &amp; Ко</x>");
    assert.equal(seen!.url, "/ext-bus-home-management-service/services/HomeManagementAsync");
  } finally {
    c.close();
    await s.close();
  }
});

test("http: basic auth for test stands; HTTP 500 comes back as a status, not an exception", async () => {
  const s = await serve(async (req, res) => {
    await readBody(req);
    const ok = req.headers.authorization === `Basic ${Buffer.from("sit:пароль").toString("base64")}`;
    res.writeHead(ok ? 500 : 401).end(ok ? "<fault/>" : "");
  });
  const c = new GisHttpClient({ baseUrl: s.url, mode: "basic", user: "sit", password: "пароль" });
  try {
    const a = await c.post("/svc", "urn:getState", "<x/>");
    assert.equal(a.status, 500, "credentials accepted; the server's 500 is returned");
    assert.equal(a.body, "<fault/>");
  } finally {
    c.close();
    await s.close();
  }
});

test("http: a refused connection carried nothing; a silent server times out with the request possibly delivered", async () => {
  const free = await new Promise<number>((r) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => r(p));
    });
  });
  const refused = new GisHttpClient({ baseUrl: `http://127.0.0.1:${free}`, mode: "plain" });
  await assert.rejects(
    refused.post("/svc", "urn:x", "<x/>"),
    (e: unknown) => e instanceof TransportError && e.code === "ECONNREFUSED" && e.requestMayHaveArrived === false,
  );
  refused.close();

  const s = await serve(() => {
    /* never answers */
  });
  const c = new GisHttpClient({ baseUrl: s.url, mode: "plain", responseTimeoutMs: 150 });
  try {
    await assert.rejects(
      c.post("/svc", "urn:x", "<x/>"),
      (e: unknown) => e instanceof TransportError && e.code === "ETIMEDOUT" && e.requestMayHaveArrived === true && /нет ответа/.test(e.message),
    );
  } finally {
    c.close();
    await s.close();
  }
});

test("http: an answer over the size limit is cut off", async () => {
  const s = await serve(async (req, res) => {
    await readBody(req);
    res.writeHead(200);
    res.end("x".repeat(300_000));
  });
  const c = new GisHttpClient({ baseUrl: s.url, mode: "plain", maxResponseBytes: 100_000 });
  try {
    await assert.rejects(c.post("/svc", "urn:x", "<x/>"), (e: unknown) => e instanceof TransportError && e.code === "ERESPONSETOOLARGE");
  } finally {
    c.close();
    await s.close();
  }
});

test("http: direct HTTPS presents the client certificate from a PKCS#12 file", async () => {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: "commonName", value: "127.0.0.1" }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const keyPem = forge.pki.privateKeyToPem(keys.privateKey);
  const certPem = forge.pki.certificateToPem(cert);
  const p12 = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], "секрет", { algorithm: "3des" })).getBytes(), "binary");

  const server = https.createServer({ key: keyPem, cert: certPem, ca: certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import("node:tls").TLSSocket).getPeerCertificate();
    res.end(peer.subject?.CN ?? "none");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  // The test server's certificate is self-signed: trusted for this client only.
  const c = new GisHttpClient({ baseUrl: `https://127.0.0.1:${port}`, mode: "direct", pkcs12: p12, pkcs12Password: "секрет", ca: certPem });
  try {
    const a = await c.post("/svc", "urn:x", "<x/>");
    assert.equal(a.body, "127.0.0.1", "the server saw our client certificate");
  } finally {
    c.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("http: stand addresses come from the environment, defaults otherwise", () => {
  assert.equal(standUrl("sit01", {}), "https://sit01.dom.test.gosuslugi.ru:10081");
  assert.equal(standUrl("prod", { GIS_PROD_URL: "http://127.0.0.1:8443/" }), "http://127.0.0.1:8443");
});
