#pragma once

#include <QString>

#include <functional>

class ProgressModel;

// Shows a `headway progress` / `headway run` in a running Headway (its window, page and CLI) as
// an external task. ProgressCli calls begin() once the run starts (unless --no-register) and
// end() with the exit status; a registration that is canceled from Headway calls `cancel`,
// which is the same as Cancel. HeadwayRegistration is the one the headway binary uses.
class ProgressRegistration
{
public:
    virtual ~ProgressRegistration() = default;
    // dataDir: --data-dir, empty for HEADWAY_DATA_DIR or the default.
    virtual void begin(const QString &title, const QString &dataDir, const ProgressModel &model,
                       std::function<void()> cancel)
        = 0;
    virtual void end(int exitStatus) = 0;
};
