# Fails the build when a file of headway_core includes a GUI, Widgets or server header.
file(GLOB_RECURSE _files ${DIR}/*.h ${DIR}/*.cpp)
foreach(_f IN LISTS _files)
    file(STRINGS ${_f} _hits REGEX "#include[ \t]*[<\"](QtGui|QtWidgets|QtWebEngine|QtHttpServer|QtWebSockets|QWidget|QApplication|QGuiApplication|ui/|app/server/)")
    if(_hits)
        message(FATAL_ERROR "${_f} includes a header headway_core must not use: ${_hits}")
    endif()
endforeach()
