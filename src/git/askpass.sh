#!/bin/sh
# git runs this as GIT_ASKPASS with the prompt as $1 where there is no /bin/bash (and on Windows). It
# asks the editor over a private socket; the secret never appears in this script's arguments or environment.
ELECTRON_RUN_AS_NODE=1 exec "$BITBUCKET_ASKPASS_NODE" "$BITBUCKET_ASKPASS_MAIN" "$@"
