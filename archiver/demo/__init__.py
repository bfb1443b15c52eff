"""The bundled demo site and the command that serves and crawls it (`archiver demo`, `make demo`)."""
