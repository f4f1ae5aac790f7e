# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Include this from the Kbuild file of any code built against xttm (xttm
# itself, its tests, a driver). It adds the public include dir and generates
# two headers in this directory's object dir:
#  <drm/xttm/xttm_symbols.h>        one "#define ttm_foo xttm_foo" per
#				     exported function, so the link names never
#				     clash with the in-kernel ttm.ko; every
#				     public header includes it first
#  <drm/xttm/xttm_compat_probed.h>  what the kernel's headers have, one
#				     XTTM_HAVE_* per API change, from
#				     scripts/compat-probe.sh (read through
#				     <drm/xttm/ttm_compat.h>)
# Objects that include xttm's headers depend on $(XTTM_GENERATED).
#
# Set XTTM_DIR to the absolute path of the xttm sources before including it
# (default: $(src), for xttm's own Kbuild), and XTTM_API to the TTM API
# level the code is written for (601, 612 or 703) unless the kernel's own
# level is right for it.

XTTM_DIR ?= $(src)
XTTM_GEN := $(obj)/generated

ccflags-y += -I$(XTTM_DIR)/include -I$(XTTM_GEN)

# The TTM API level of this directory's code: 601, 612 or 703 (see
# <drm/xttm/xttm_api.h>); unset, the kernel's own TTM decides.
ifneq ($(XTTM_API),)
ccflags-y += -DXTTM_API=$(XTTM_API)
endif

quiet_cmd_xttm_symbols = GEN     $@
      cmd_xttm_symbols = mkdir -p $(dir $@) && \
			 $(CONFIG_SHELL) $(XTTM_DIR)/scripts/gen-symbols.sh $(XTTM_DIR) > $@.tmp && \
			 mv $@.tmp $@

$(XTTM_GEN)/drm/xttm/xttm_symbols.h: $(wildcard $(XTTM_DIR)/ttm_*.c) \
				     $(XTTM_DIR)/scripts/gen-symbols.sh FORCE
	$(call if_changed,xttm_symbols)

# The probes compile with this kernel's own flags; a change of kernel changes
# the command line, so if_changed probes again.
xttm_probe_flags = $(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
		   -include $(srctree)/include/linux/compiler_types.h \
		   $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) \
		   -DMODULE
quiet_cmd_xttm_compat = PROBE   $@
      cmd_xttm_compat = mkdir -p $(dir $@) && \
			$(CONFIG_SHELL) $(XTTM_DIR)/scripts/compat-probe.sh \
			$(XTTM_DIR)/compat/probes $@.tmp $(objtree)/Module.symvers \
			$(CC) $(xttm_probe_flags) && mv $@.tmp $@

$(XTTM_GEN)/drm/xttm/xttm_compat_probed.h: $(wildcard $(XTTM_DIR)/compat/probes/*) \
					   $(XTTM_DIR)/scripts/compat-probe.sh FORCE
	$(call if_changed,xttm_compat)

XTTM_GENERATED := $(XTTM_GEN)/drm/xttm/xttm_symbols.h \
		  $(XTTM_GEN)/drm/xttm/xttm_compat_probed.h

targets += generated/drm/xttm/xttm_symbols.h \
	   generated/drm/xttm/xttm_compat_probed.h
