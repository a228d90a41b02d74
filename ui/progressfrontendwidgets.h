#pragma once

#include "app/progress/progressfrontend.h"

// The windows of `headway progress` and `headway run` for ProgressCli.
class ProgressFrontendWidgets final : public ProgressFrontend
{
public:
    std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv) override;
    std::unique_ptr<QObject> showProgress(ProgressSession &session) override;
    std::unique_ptr<QObject> showInstaller(InstallerSession &session) override;
};
