#pragma once

// `opsdeck-hub user …` and `opsdeck-hub token …`: the administrator's commands for operator
// accounts and tokens (docs/operations.md §6–7). They open the hub's data directory directly
// (users.sqlite in WAL mode, so they work while the hub runs) and never start a server.

#include <QString>
#include <QStringList>

namespace opsdeck::hub {

// True when `arguments` (without the program name) start with `user` or `token`.
bool isAdminCommand(const QStringList &arguments);

// Runs one admin command; reads a password from stdin (--password-stdin) or the terminal,
// prints results on stdout and errors on stderr. Exit code: 0 ok, 1 failure, 2 usage.
int runAdminCli(const QStringList &arguments);

QString adminUsage();

} // namespace opsdeck::hub
