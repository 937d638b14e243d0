// SPDX-License-Identifier: MIT
/*
 * The driver model core (interface in <exo/device.h>): devices and drivers
 * on buses, matched both ways, bound through probe and unbound through
 * remove.
 *
 * Locking: device_hotplug_lock, a mutex, is held across every registration,
 * match, probe and remove, so probe may sleep and sees a stable bus. It is
 * recursive for its holder: a probe may add child devices (virtio devices
 * under their PCI function) or register a driver, which then probes at once,
 * nested. The reference count is atomic; the last put_device() may sleep.
 */
#include <exo/device.h>
#include <exo/kernel.h>
#include <exo/sched.h>
#include <exo/mutex.h>
#include <exo/panic.h>
#include <exo/string.h>
#include <stdarg.h>
#include <uapi/errno.h>

static DEFINE_MUTEX(device_hotplug_lock);
static struct task *hotplug_owner;	/* [device_hotplug_lock] lets probe add child devices */

/* Recursive for the holder: a probe that adds a child device re-enters. */
static bool hotplug_lock(void)
	__acquires(&device_hotplug_lock)
{
	if (hotplug_owner == current) {
		__acquire(&device_hotplug_lock);	/* held already, by this task */
		return false;
	}
	mutex_lock(&device_hotplug_lock);
	hotplug_owner = current;
	return true;
}

static void hotplug_unlock(bool taken)
	__releases(&device_hotplug_lock)
{
	if (!taken) {
		__release(&device_hotplug_lock);
		return;
	}
	hotplug_owner = NULL;
	mutex_unlock(&device_hotplug_lock);
}

void device_initialize(struct device *dev)
{
	dev->refcount = 1;
	INIT_LIST_HEAD(&dev->bus_node);
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->name, sizeof(dev->name), fmt, ap);
	va_end(ap);
	return 0;
}

struct device *get_device(struct device *dev)
{
	if (dev)
		__atomic_fetch_add(&dev->refcount, 1, __ATOMIC_RELAXED);
	return dev;
}

void put_device(struct device *dev)
{
	struct device *parent;

	if (!dev || __atomic_sub_fetch(&dev->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	parent = dev->parent;
	WARN_ON(dev->added);
	if (dev->release)
		dev->release(dev);
	put_device(parent);
}

/* Tries @drv on @dev; returns 0 when bound, -ENODEV on no match, or probe's error. */
static int driver_probe_device(struct device_driver *drv, struct device *dev)
{
	int err;

	if (dev->driver || (dev->bus->match && !dev->bus->match(dev, drv)))
		return -ENODEV;
	dev->driver = drv;
	if (dev->bus->probe)
		err = dev->bus->probe(dev);
	else
		err = drv->probe ? drv->probe(dev) : 0;
	if (err) {
		dev->driver = NULL;
		dev->driver_data = NULL;
		if (err != -ENODEV)
			dev_warn(dev, "probe of %s failed with error %d\n", drv->name, err);
		return err;
	}
	return 0;
}

static void device_release_driver(struct device *dev)
{
	if (!dev->driver)
		return;
	if (dev->bus->remove)
		dev->bus->remove(dev);
	else if (dev->driver->remove)
		dev->driver->remove(dev);
	dev->driver = NULL;
	dev->driver_data = NULL;
}

int device_add(struct device *dev)
{
	struct device_driver *drv;
	bool taken;

	if (!dev->bus || !dev->bus->registered || !dev->name[0])
		return -EINVAL;
	taken = hotplug_lock();
	get_device(dev->parent);
	dev->added = true;
	list_add_tail(&dev->bus_node, &dev->bus->devices);
	list_for_each_entry(drv, &dev->bus->drivers, bus_node)
		if (!driver_probe_device(drv, dev))
			break;
	hotplug_unlock(taken);
	return 0;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

void device_del(struct device *dev)
{
	bool taken = hotplug_lock();

	if (dev->added) {
		device_release_driver(dev);
		list_del_init(&dev->bus_node);
		dev->added = false;
	}
	hotplug_unlock(taken);
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

int bus_register(struct bus_type *bus)
{
	bool taken = hotplug_lock();
	int err = -EBUSY;

	if (!bus->registered) {
		INIT_LIST_HEAD(&bus->devices);
		INIT_LIST_HEAD(&bus->drivers);
		bus->registered = true;
		err = 0;
	}
	hotplug_unlock(taken);
	return err;
}

int bus_for_each_dev(struct bus_type *bus, void *data, int (*fn)(struct device *dev, void *data))
{
	bool taken = hotplug_lock();
	struct device *dev;
	int ret = 0;

	list_for_each_entry(dev, &bus->devices, bus_node) {
		ret = fn(dev, data);
		if (ret)
			break;
	}
	hotplug_unlock(taken);
	return ret;
}

int driver_register(struct device_driver *drv)
{
	struct device *dev;
	bool taken;

	if (!drv->bus || !drv->bus->registered || !drv->name)
		return -EINVAL;
	taken = hotplug_lock();
	list_add_tail(&drv->bus_node, &drv->bus->drivers);
	list_for_each_entry(dev, &drv->bus->devices, bus_node)
		driver_probe_device(drv, dev);
	hotplug_unlock(taken);
	return 0;
}

void driver_unregister(struct device_driver *drv)
{
	bool taken = hotplug_lock();
	struct device *dev;

	list_for_each_entry(dev, &drv->bus->devices, bus_node)
		if (dev->driver == drv)
			device_release_driver(dev);
	list_del_init(&drv->bus_node);
	hotplug_unlock(taken);
}
