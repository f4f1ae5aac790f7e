# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Include this from the Kbuild file of any code built against xttm (xttm
# itself, its tests, a driver). It adds the public include dir and generates
# <drm/xttm/xttm_symbols.h> in this directory's object dir: one
# "#define ttm_foo xttm_foo" per exported function, so the link names never
# clash with the in-kernel ttm.ko. Every public header includes it first.
#
# Set XTTM_DIR to the absolute path of the xttm sources before including it
# (default: $(src), for xttm's own Kbuild).

XTTM_DIR ?= $(src)
XTTM_GEN := $(obj)/generated

ccflags-y += -I$(XTTM_DIR)/include -I$(XTTM_GEN)

quiet_cmd_xttm_symbols = GEN     $@
      cmd_xttm_symbols = mkdir -p $(dir $@) && \
			 $(CONFIG_SHELL) $(XTTM_DIR)/scripts/gen-symbols.sh $(XTTM_DIR) > $@.tmp && \
			 mv $@.tmp $@

$(XTTM_GEN)/drm/xttm/xttm_symbols.h: $(wildcard $(XTTM_DIR)/ttm_*.c) \
				     $(XTTM_DIR)/scripts/gen-symbols.sh FORCE
	$(call if_changed,xttm_symbols)

targets += generated/drm/xttm/xttm_symbols.h
