#pragma once

class ProgressFrontend;
class ProgressRegistration;

// `headway progress ...` and `headway run MANIFEST.json`: argv[1] names the subcommand.
// With a frontend (there is a display) the windows, else the terminal (a bar on stderr when it
// is a terminal, plain lines otherwise). Creates its own application object, so call it before
// any QCoreApplication exists. Returns the exit status.
class ProgressCli final
{
public:
    ProgressCli() = delete;

    static int main(int &argc, char **argv, ProgressFrontend *frontend,
                    ProgressRegistration *registration = nullptr);

private:
    static int progress(int &argc, char **argv, ProgressFrontend *frontend,
                        ProgressRegistration *registration);
    static int run(int &argc, char **argv, ProgressFrontend *frontend,
                   ProgressRegistration *registration);
};
