#pragma once

#include <QCoreApplication>
#include <QObject>

#include <memory>

class InstallerSession;
class ProgressSession;

// The windows of `headway progress` and `headway run`, which live in ui/ (Widgets): the
// composition root hands one to ProgressCli when there is a display. Without one, ProgressCli
// draws in the terminal and needs no Gui at all.
class ProgressFrontend
{
public:
    virtual ~ProgressFrontend() = default;
    // A QApplication; called before any other Qt object exists.
    virtual std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv) = 0;
    // The window, shown; it calls the session's accept()/cancel() (close() for the installer).
    virtual std::unique_ptr<QObject> showProgress(ProgressSession &session) = 0;
    virtual std::unique_ptr<QObject> showInstaller(InstallerSession &session) = 0;
};
