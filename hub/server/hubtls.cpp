#include "hubtls.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace opsdeck::hub {

namespace {
std::optional<QByteArray> readPem(const QString &path, const char *flag, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 %2: %3").arg(QLatin1StringView(flag), path, file.errorString());
        return std::nullopt;
    }
    // Certificates and keys are a few KiB; a chain of many intermediates stays well below this.
    return file.read(1024 * 1024);
}

QSslKey readKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}
} // namespace

std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile, const QString &keyFile,
                                                      QString *error)
{
    if (certificateFile.isEmpty() || keyFile.isEmpty()) {
        *error = QStringLiteral("TLS needs both --tls-cert and --tls-key");
        return std::nullopt;
    }
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("this Qt has no TLS backend (install the Qt OpenSSL plugin, e.g. libqt6network6 "
                                "with OpenSSL 3), so --tls-cert cannot be served");
        return std::nullopt;
    }
    const auto certificatePem = readPem(certificateFile, "--tls-cert", error);
    if (!certificatePem)
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = QStringLiteral("--tls-cert %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                     .arg(certificateFile);
        return std::nullopt;
    }
    const QSslCertificate &leaf = chain.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now) {
        *error = QStringLiteral("--tls-cert %1 expired on %2; renew it")
                     .arg(certificateFile, leaf.expiryDate().toString(Qt::ISODate));
        return std::nullopt;
    }
    if (leaf.effectiveDate() > now) {
        *error = QStringLiteral("--tls-cert %1 is valid only from %2; check the clock or the certificate")
                     .arg(certificateFile, leaf.effectiveDate().toString(Qt::ISODate));
        return std::nullopt;
    }
    const auto keyPem = readPem(keyFile, "--tls-key", error);
    if (!keyPem)
        return std::nullopt;
    const QSslKey key = readKey(*keyPem);
    if (key.isNull()) {
        *error = QStringLiteral("--tls-key %1 holds no unencrypted PEM private key (RSA, EC or DSA); "
                                "a passphrase-protected key must be decrypted first (openssl pkey -in KEY -out KEY2)")
                     .arg(keyFile);
        return std::nullopt;
    }
    const QSslKey publicKey = leaf.publicKey();
    if (publicKey.algorithm() != key.algorithm() || publicKey.length() != key.length()) {
        *error = QStringLiteral("--tls-key %1 does not belong to --tls-cert %2 (different key type or size)")
                     .arg(keyFile, certificateFile);
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with tokens, not certificates
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

} // namespace opsdeck::hub
