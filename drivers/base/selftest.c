// SPDX-License-Identifier: MIT
/*
 * Self-test "driver_model": a bus of its own with a match on names, checked
 * for binding in both orders (driver first, device first), a probe that
 * refuses, remove on driver_unregister and device_del, driver_data, and the
 * release of the last reference (which also drops the parent's).
 */
#include <exo/device.h>
#include <exo/selftest.h>
#include <exo/string.h>

static int probes, removes, releases;

static int dm_test_match(struct device *dev, struct device_driver *drv)
{
	return !strncmp(dev_name(dev), drv->name, strlen(drv->name));
}

static int dm_test_probe(struct device *dev)
{
	if (strstr(dev_name(dev), "refuse"))
		return -ENODEV;
	probes++;
	dev_set_drvdata(dev, &probes);
	return 0;
}

static void dm_test_remove(struct device *dev)
{
	removes++;
}

static void dm_test_release(struct device *dev)
{
	releases++;
}

static struct bus_type dm_test_bus = { .name = "dmtest", .match = dm_test_match };
static struct device_driver dm_test_drv = {
	.name = "alpha", .bus = &dm_test_bus, .probe = dm_test_probe, .remove = dm_test_remove,
};

static int driver_model_selftest(void)
{
	struct device early = {}, late = {}, refused = {}, other = {}, parent = {};

	CHECK(bus_register(&dm_test_bus) == 0);
	CHECK(bus_register(&dm_test_bus) == -EBUSY);
	/* Device first: bound when the driver arrives. */
	device_initialize(&parent);
	parent.release = dm_test_release;
	dev_set_name(&parent, "parent");
	parent.bus = &dm_test_bus;
	CHECK(device_add(&parent) == 0);
	device_initialize(&early);
	early.bus = &dm_test_bus;
	early.parent = &parent;
	early.release = dm_test_release;
	dev_set_name(&early, "alpha%d", 0);
	CHECK(device_add(&early) == 0);
	CHECK(!early.driver && probes == 0);
	CHECK(driver_register(&dm_test_drv) == 0);
	CHECK(early.driver == &dm_test_drv && probes == 1);
	CHECK(dev_get_drvdata(&early) == &probes);
	/* Driver first: bound as the device is added. */
	late.bus = &dm_test_bus;
	late.release = dm_test_release;
	dev_set_name(&late, "alpha1");
	CHECK(device_register(&late) == 0);
	CHECK(late.driver == &dm_test_drv && probes == 2);
	/* No match, and a probe that refuses: both stay unbound. */
	other.bus = &dm_test_bus;
	dev_set_name(&other, "beta0");
	CHECK(device_register(&other) == 0 && !other.driver);
	refused.bus = &dm_test_bus;
	dev_set_name(&refused, "alpha-refuse");
	CHECK(device_register(&refused) == 0 && !refused.driver && !dev_get_drvdata(&refused));
	/* device_del unbinds one; driver_unregister the others. */
	device_del(&late);
	CHECK(removes == 1 && !late.driver && !dev_get_drvdata(&late));
	driver_unregister(&dm_test_drv);
	CHECK(removes == 2 && !early.driver);
	/* References: early holds its parent; the last puts release both. */
	get_device(&early);
	device_unregister(&early);
	CHECK(releases == 0);
	put_device(&early);
	CHECK(releases == 1);
	device_unregister(&parent);
	CHECK(releases == 2);
	put_device(&late);
	CHECK(releases == 3);
	device_unregister(&other);
	device_unregister(&refused);
	return 0;
}
DEFINE_SELFTEST("driver_model", driver_model_selftest);
