// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * In-VM test of xttm's page pools on a real PCI device: binds the emulated
 * bochs display (1234:1111) and sets up two xttm devices on it, one whose
 * pool uses the DMA backend (coherent memory) and one the page backend
 * (pages mapped with the streaming DMA API). For each backend, caching
 * state and size it populates a tt, checks every device address and writes
 * and reads back every word through the CPU. The tts are then freed into
 * the pools, which stay filled until the module goes away, so the VM script
 * can watch /proc/sys/vm/drop_caches empty them through the shrinker.
 *
 * With expect_bounce=1 (a boot with swiotlb=force) it also checks that the
 * streaming mappings really bounced while the coherent memory did not.
 *
 * Prints one "xttm-pooltest: PASS name" or "FAIL name" line per check.
 */

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

static bool expect_bounce;
module_param(expect_bounce, bool, 0444);
MODULE_PARM_DESC(expect_bounce, "the kernel runs with swiotlb=force");

struct pooltest {
	struct ttm_device dma_dev;
	struct ttm_device page_dev;
	unsigned int failures;
};

static const struct ttm_device_funcs pooltest_funcs = {};

static void report(struct pooltest *pt, const char *name, bool ok)
{
	pr_info("xttm-pooltest: %s %s\n", ok ? "PASS" : "FAIL", name);
	if (!ok)
		pt->failures++;
}

static u32 pattern(unsigned long page, unsigned long i, u32 seed)
{
	return seed ^ (page << 10) ^ i;
}

/* Write then read every word of every page; returns the words that differ. */
static unsigned long write_read_back(struct ttm_tt *tt, u32 seed)
{
	unsigned long p, i, bad = 0;
	u32 *v;

	for (p = 0; p < tt->num_pages; p++) {
		v = kmap_local_page(tt->pages[p]);
		for (i = 0; i < PAGE_SIZE / sizeof(*v); i++)
			WRITE_ONCE(v[i], pattern(p, i, seed));
		kunmap_local(v);
	}
	for (p = 0; p < tt->num_pages; p++) {
		v = kmap_local_page(tt->pages[p]);
		for (i = 0; i < PAGE_SIZE / sizeof(*v); i++)
			bad += READ_ONCE(v[i]) != pattern(p, i, seed);
		kunmap_local(v);
	}
	return bad;
}

/*
 * Device addresses: non-zero, page aligned, under the DMA mask and distinct.
 * @bounced counts pages whose address is not their physical address.
 */
static bool check_dma_addresses(struct device *dev, struct ttm_tt *tt,
				unsigned long *bounced)
{
	u64 mask = dma_get_mask(dev);
	unsigned long i, j;

	*bounced = 0;
	for (i = 0; i < tt->num_pages; i++) {
		dma_addr_t a = tt->dma_address[i];

		if (!a || (a & ~PAGE_MASK) || a + PAGE_SIZE - 1 > mask)
			return false;
		if (a != page_to_phys(tt->pages[i]))
			(*bounced)++;
		/* Pages are few here; a quadratic check is fine. */
		for (j = 0; j < i; j++)
			if (tt->dma_address[j] == a)
				return false;
	}
	return true;
}

static void run_one(struct pooltest *pt, struct pci_dev *pdev,
		    struct ttm_device *bdev, enum ttm_caching caching,
		    unsigned long pages)
{
	static const char * const cname[] = { "uc", "wc", "wb" };
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_buffer_object bo = { .bdev = bdev };
	bool dma = bdev->pool.use_dma_alloc;
	unsigned long bounced;
	struct ttm_tt tt;
	char name[64];
	int ret;

	snprintf(name, sizeof(name), "%s_%s_%lu", dma ? "dma" : "page",
		 cname[caching], pages);
	bo.base.size = pages * PAGE_SIZE;
	if (ttm_sg_tt_init(&tt, &bo, 0, caching)) {
		report(pt, name, false);
		return;
	}
	ret = ttm_tt_populate(bdev, &tt, &ctx);
	if (ret) {
		pr_info("xttm-pooltest: %s: populate failed: %d\n", name, ret);
		report(pt, name, false);
		goto out_fini;
	}

	report(pt, name, !write_read_back(&tt, 0x7e57 + pages + caching));
	snprintf(name, sizeof(name), "%s_%s_%lu_dma_addresses",
		 dma ? "dma" : "page", cname[caching], pages);
	report(pt, name, check_dma_addresses(&pdev->dev, &tt, &bounced));
	pr_info("xttm-pooltest: %s: %lu of %lu pages bounced\n", name,
		bounced, pages);
	/*
	 * Coherent memory never bounces; streaming mappings bounce exactly
	 * when swiotlb=force is on.
	 */
	snprintf(name, sizeof(name), "%s_%s_%lu_bounce",
		 dma ? "dma" : "page", cname[caching], pages);
	report(pt, name, bounced == (expect_bounce && !dma ? pages : 0));
	ttm_tt_unpopulate(bdev, &tt);
out_fini:
	ttm_tt_fini(&tt);
}

static int pooltest_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	static const unsigned long sizes[] = { 1, 16, 300 };
	struct pooltest *pt;
	unsigned int c, s;
	int ret;

	pt = devm_kzalloc(&pdev->dev, sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	ret = ttm_device_init(&pt->dma_dev, &pooltest_funcs, &pdev->dev, NULL,
			      NULL, true, false);
	if (ret)
		return ret;
	ret = ttm_device_init(&pt->page_dev, &pooltest_funcs, &pdev->dev, NULL,
			      NULL, false, false);
	if (ret)
		goto err_dma_dev;
	report(pt, "backends", pt->dma_dev.pool.use_dma_alloc &&
	       !pt->page_dev.pool.use_dma_alloc);

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			run_one(pt, pdev, &pt->dma_dev, c, sizes[s]);
			run_one(pt, pdev, &pt->page_dev, c, sizes[s]);
		}

	pci_set_drvdata(pdev, pt);
	pr_info("xttm-pooltest: done, %u failed\n", pt->failures);
	return 0;

err_dma_dev:
	ttm_device_fini(&pt->dma_dev);
	return ret;
}

static void pooltest_remove(struct pci_dev *pdev)
{
	struct pooltest *pt = pci_get_drvdata(pdev);

	ttm_device_fini(&pt->page_dev);
	ttm_device_fini(&pt->dma_dev);
}

static const struct pci_device_id pooltest_ids[] = {
	{ PCI_DEVICE(0x1234, 0x1111) },
	{}
};
MODULE_DEVICE_TABLE(pci, pooltest_ids);

static struct pci_driver pooltest_driver = {
	.name = "xttm_pooltest",
	.id_table = pooltest_ids,
	.probe = pooltest_probe,
	.remove = pooltest_remove,
};
module_pci_driver(pooltest_driver);

MODULE_DESCRIPTION("xttm page pool test on a PCI device");
MODULE_LICENSE("Dual MIT/GPL");
