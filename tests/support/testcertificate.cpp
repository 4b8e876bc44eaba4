#include "testcertificate.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QStandardPaths>

namespace opsdeck::testing {

bool makeTestCertificate(const QString &directory, TestCertificate *out, QString *error)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = QStringLiteral("the openssl CLI is needed to make the test certificate (scripts/install-deps.sh)");
        return false;
    }
    const QDir dir(directory);
    out->certificateFile = dir.filePath(QStringLiteral("cert.pem"));
    out->keyFile = dir.filePath(QStringLiteral("key.pem"));
    QProcess process;
    process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                            QStringLiteral("-nodes"), QStringLiteral("-keyout"), out->keyFile, QStringLiteral("-out"),
                            out->certificateFile, QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                            QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                            QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        *error = QStringLiteral("openssl failed: %1").arg(QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    QFile certificate(out->certificateFile);
    QFile key(out->keyFile);
    if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the certificate openssl wrote");
        return false;
    }
    out->certificate = QSslCertificate(certificate.readAll(), QSsl::Pem);
    out->key = QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem);
    if (out->certificate.isNull() || out->key.isNull()) {
        *error = QStringLiteral("openssl wrote a certificate or key Qt cannot read");
        return false;
    }
    return true;
}

void trustForThisProcess(const QSslCertificate &certificate)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.addCaCertificate(certificate);
    QSslConfiguration::setDefaultConfiguration(configuration);
}

} // namespace opsdeck::testing
