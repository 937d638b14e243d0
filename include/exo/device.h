/* SPDX-License-Identifier: MIT */
/*
 * The driver model, shaped as Linux's: a struct device is one thing the
 * kernel found (a PCI function, later a virtio device or a disk); a struct
 * bus_type says how devices and drivers of one kind are matched and probed;
 * a struct device_driver is the driver's ops. Whichever of a device and a
 * driver registers second triggers the match: device_add() looks for a
 * driver among the bus's drivers, driver_register() for unbound devices.
 * On a match the bus's probe (else the driver's) runs; 0 binds the device.
 *
 * Devices are embedded in bus-specific structs (struct pci_dev) and counted:
 * get_device()/put_device(); the last put calls dev->release. Registration,
 * probe and remove run under one sleeping lock (device_hotplug_lock in
 * drivers/base/core.c), so probe routines may sleep and allocate but must
 * not register drivers themselves.
 */
#ifndef _EXO_DEVICE_H
#define _EXO_DEVICE_H

#include <exo/compiler.h>
#include <exo/init.h>
#include <exo/list.h>
#include <exo/printk.h>
#include <exo/types.h>

struct device;
struct device_driver;

struct bus_type {
	const char *name;
	/* Nonzero when @drv can drive @dev (id tables). */
	int (*match)(struct device *dev, struct device_driver *drv);
	/* Binds: calls the bus-specific driver probe. 0 or -errno. */
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	/* Private to drivers/base: [device_hotplug_lock] */
	struct list_head devices;
	struct list_head drivers;
	bool registered;
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	struct list_head bus_node;		/* [device_hotplug_lock] on bus->drivers */
};

#define DEVICE_NAME_MAX 32

struct device {
	char name[DEVICE_NAME_MAX];		/* [immutable after device_add] "0000:00:03.0" */
	struct device *parent;			/* [immutable] holds a reference */
	struct bus_type *bus;			/* [immutable] */
	struct device_driver *driver;		/* [device_hotplug_lock] bound driver or NULL */
	void *driver_data;			/* [owner: the bound driver] */
	int refcount;				/* [atomic] */
	void (*release)(struct device *dev);	/* frees the embedding struct */
	struct list_head bus_node;		/* [device_hotplug_lock] on bus->devices */
	bool added;				/* [device_hotplug_lock] */
};

/* Sets up @dev with one reference; call before anything else. */
void device_initialize(struct device *dev);
/* Makes @dev known to its bus and probes drivers for it. 0 or -errno; a failed probe is not an error. */
int device_add(struct device *dev);
/* device_initialize() + device_add(). */
int device_register(struct device *dev);
/* Unbinds (driver remove) and takes @dev off its bus; the caller still holds its reference. */
void device_del(struct device *dev);
/* device_del() + put_device(). */
void device_unregister(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
/* Names @dev, printf style (truncated to DEVICE_NAME_MAX - 1). */
int dev_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);

static inline const char *dev_name(const struct device *dev)
{
	return dev->name;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

/* Registers @bus (its lists start empty). 0 or -EBUSY if already registered. */
int bus_register(struct bus_type *bus);
/* Calls @fn for each device on @bus until it returns nonzero (returned). Sleeps. */
int bus_for_each_dev(struct bus_type *bus, void *data, int (*fn)(struct device *dev, void *data));
/* Registers @drv on drv->bus and binds it to every matching unbound device. 0 or -errno. */
int driver_register(struct device_driver *drv);
/* Unbinds @drv from its devices (remove) and unregisters it. */
void driver_unregister(struct device_driver *drv);

/* Logging prefixed by bus and device name, as Linux's dev_info(): "pci 0000:00:03.0: ..." */
#define dev_printk(level, dev, fmt, ...)                                             \
	printk(level "%s %s: " fmt, (dev)->bus ? (dev)->bus->name : "", dev_name(dev), \
	       ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)

/*
 * A driver whose init only registers it: module_driver(drv, pci_register_driver,
 * pci_unregister_driver) makes a device_initcall. There are no modules; the
 * unregister function is named for symmetry with Linux and never called.
 */
#define module_driver(__driver, __register, ...)                                     \
	static int __init_##__driver(void)                                           \
	{                                                                            \
		return __register(&(__driver));                                      \
	}                                                                            \
	device_initcall(__init_##__driver)

#endif /* _EXO_DEVICE_H */
