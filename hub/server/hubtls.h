#pragma once

// TLS for the hub's WebSocket listener (wss://, docs/operations.md §5): reads the PEM certificate
// chain and private key named by --tls-cert/--tls-key into a server QSslConfiguration, with an
// error that names the file and says what to fix when they are unusable.

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace opsdeck::hub {

// nullopt (and `error` set) when a file cannot be read, holds no PEM certificate / unencrypted
// PEM private key, the certificate has expired or is not valid yet, or key and certificate are of
// different kinds. A key of the right kind that belongs to another certificate is not detected
// here: clients then fail the handshake.
std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile, const QString &keyFile,
                                                      QString *error);

} // namespace opsdeck::hub
