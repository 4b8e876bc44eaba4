#include "hubauthsetup.h"

#include "authcontext.h"
#include "authhttpservice.h"
#include "hubserver.h"
#include "tokenauthenticator.h"

#include <QFile>

#include <chrono>

namespace opsdeck::hub {

AuthenticatorSetup makeAuthenticator(const HubCliOptions &options)
{
    auth::AuthConfig config;
    config.dataDir = options.dataDir;
    config.issuer = options.issuer;
    config.accessTtl = std::chrono::seconds(options.accessTtlSeconds);
    config.refreshTtl = std::chrono::seconds(options.refreshTtlSeconds);
    QString error;
    std::unique_ptr<auth::AuthContext> opened = auth::AuthContext::open(config, &error);
    if (!opened)
        return AuthenticatorSetup{nullptr, nullptr, error};
    std::shared_ptr<auth::AuthContext> context(std::move(opened));
    // Shares ownership with the context: the authenticator lives exactly as long as its keys.
    std::shared_ptr<const Authenticator> authenticator(context, &context->authenticator());
    return AuthenticatorSetup{context, authenticator, {}};
}

std::unique_ptr<auth::AuthHttpService> startAuthService(const HubCliOptions &options, const HubServer &server,
                                                        auth::AuthContext &context, QString *error)
{
    QHostAddress address = server.config().address;
    quint16 port = 0;
    if (options.authListen) {
        address = options.authListen->first;
        port = options.authListen->second;
    } else if (options.config.port != 0) {
        // The sibling port clients derive from the hub's URL (docs/console.md "Signing in").
        port = quint16(server.port() + 1);
    }
    std::optional<auth::AuthTls> tls;
    if (server.isSecure()) {
        auth::AuthTls files;
        QFile certificate(server.config().tlsCertificateFile);
        QFile key(server.config().tlsKeyFile);
        if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the TLS files for the sign-in endpoint");
            return nullptr;
        }
        QList<QSslCertificate> chain = QSslCertificate::fromData(certificate.readAll(), QSsl::Pem);
        files.key = QSslKey(key.readAll(), QSsl::Rsa, QSsl::Pem);
        if (files.key.isNull()) {
            key.seek(0);
            files.key = QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem);
        }
        if (chain.isEmpty() || files.key.isNull()) {
            *error = QStringLiteral("the TLS certificate or key cannot be used for the sign-in endpoint");
            return nullptr;
        }
        files.certificate = chain.takeFirst();
        files.chain = chain;
        tls = files;
    }
    auto service = std::make_unique<auth::AuthHttpService>(context);
    if (!service->listen(address, port, tls)) {
        *error = service->errorString();
        return nullptr;
    }
    return service;
}

} // namespace opsdeck::hub
