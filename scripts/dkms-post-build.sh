#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# DKMS POST_BUILD (see dkms.conf), run in the build dir: keep
# Module.symvers beside the saved module,
# $dkms_tree/xttm/<version>/<kernel>/<arch>/Module.symvers, where a
# driver's KBUILD_EXTRA_SYMBOLS finds it. (DKMS ignores this script's exit
# status, so the export check is scripts/dkms.sh's, on the result.)
#
# usage: dkms-post-build.sh KERNELVER ARCH
set -eu
kver=${1:?usage: dkms-post-build.sh KERNELVER ARCH}
arch=${2:?usage: dkms-post-build.sh KERNELVER ARCH}

cp Module.symvers "../$kver/$arch/Module.symvers"
echo "xttm: Module.symvers kept in $(cd "../$kver/$arch" && pwd)"
