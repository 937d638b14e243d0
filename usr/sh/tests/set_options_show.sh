set -e
case $- in *e*) echo e-set;; esac
set +e
case $- in *e*) echo still;; *) echo e-unset;; esac
set -o errexit
case $- in *e*) echo o-set;; esac
