#include "progressfrontendwidgets.h"

#include "installerwindow.h"
#include "progresswindow.h"

#include <QApplication>

using namespace Qt::StringLiterals;

std::unique_ptr<QCoreApplication> ProgressFrontendWidgets::createApplication(int &argc, char **argv)
{
    auto app = std::make_unique<QApplication>(argc, argv);
    QGuiApplication::setDesktopFileName(u"io.github.headway.Headway"_s);
    // The session says when to exit (a command may still be stopping).
    app->setQuitOnLastWindowClosed(false);
    return app;
}

std::unique_ptr<QObject> ProgressFrontendWidgets::showProgress(ProgressSession &session)
{
    auto window = std::make_unique<ProgressWindow>(session);
    window->show();
    return window;
}

std::unique_ptr<QObject> ProgressFrontendWidgets::showInstaller(InstallerSession &session)
{
    auto window = std::make_unique<InstallerWindow>(session);
    window->show();
    return window;
}
