#pragma once

// A self-signed certificate for 127.0.0.1 made at run time by the openssl CLI (tests must not
// ship private keys), for hubs serving wss:// and https:// in integration tests.

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace opsdeck::testing {

struct TestCertificate
{
    QString certificateFile; // PEM
    QString keyFile;         // PEM, unencrypted EC P-256
    QSslCertificate certificate;
    QSslKey key;
};

// Writes cert.pem and key.pem into `directory`. False with `error` set when openssl is missing
// or fails.
bool makeTestCertificate(const QString &directory, TestCertificate *out, QString *error);

// Makes every QSslSocket of this process (QWebSocket, QNetworkAccessManager) trust `certificate`
// in addition to the system's CAs — what an operator does by installing their CA.
void trustForThisProcess(const QSslCertificate &certificate);

} // namespace opsdeck::testing
