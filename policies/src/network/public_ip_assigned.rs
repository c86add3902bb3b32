use crate::policy::Check;
use crate::{declare_policy, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Instances, launch templates and subnets that hand out public IP addresses.
    ///
    /// Covered: `associate_public_ip_address = true` on `aws_instance`,
    /// `aws_spot_instance_request`, `aws_launch_configuration` and the `network_interfaces` of
    /// `aws_launch_template`; `map_public_ip_on_launch = true` on `aws_subnet` and
    /// `aws_default_subnet`; an `aws_eip` with `instance` or `network_interface`, and an
    /// `aws_eip_association` with `instance_id` or `network_interface_id` (an elastic IP given to
    /// a NAT gateway is not reported); an `access_config` block on a `google_compute_instance`,
    /// `google_compute_instance_template` or `google_compute_region_instance_template` network
    /// interface; a `public_ip_address_id` on an `azurerm_network_interface` IP configuration
    /// (the NIC of a VM), and a `public_ip_address` block in the `network_interface` IP
    /// configuration of `azurerm_linux_virtual_machine_scale_set`,
    /// `azurerm_windows_virtual_machine_scale_set` and
    /// `azurerm_orchestrated_virtual_machine_scale_set`.
    ///
    /// An unset `associate_public_ip_address` follows the subnet, which this policy checks on the
    /// subnet itself. In a plan, an unset computed attribute shows as "known after apply", so an
    /// unknown value there is treated as unset; in source, a value that cannot be known (a
    /// variable without a value) is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// A public address makes the instance reachable from the internet as soon as one security
    /// group or firewall rule allows it, and lets it bypass the egress controls of a NAT. Workloads
    /// behind a load balancer do not need one.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   vpc_id                  = aws_vpc.main.id
    ///   cidr_block              = "10.0.1.0/24"
    ///   map_public_ip_on_launch = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep instances in private subnets and publish services through a load balancer; reach
    /// instances with SSM Session Manager, IAP or Azure Bastion.
    ///
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   vpc_id     = aws_vpc.main.id
    ///   cidr_block = "10.0.1.0/24"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html>
    /// - <https://cloud.google.com/compute/docs/ip-addresses#externaladdresses>
    pub static PUBLIC_IP_ASSIGNED = {
        code: "NET003",
        name: "public-ip-assigned",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_instance",
                "aws_launch_configuration",
                "aws_launch_template",
                "aws_subnet",
                "aws_default_subnet",
                "google_compute_instance",
                "google_compute_instance_template",
                "azurerm_network_interface",
                "aws_spot_instance_request",
                "aws_eip",
                "aws_eip_association",
                "google_compute_region_instance_template",
                "azurerm_linux_virtual_machine_scale_set",
                "azurerm_windows_virtual_machine_scale_set",
                "azurerm_orchestrated_virtual_machine_scale_set",
            ],
            check,
        },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let v = resource.values();
    match resource.resource_type() {
        "aws_instance" | "aws_launch_configuration" | "aws_spot_instance_request" => {
            flag(
                ctx,
                resource,
                v.get("associate_public_ip_address"),
                "associate_public_ip_address",
            );
        }
        "aws_launch_template" => {
            for nic in v.blocks("network_interfaces") {
                flag(
                    ctx,
                    resource,
                    nic.get("associate_public_ip_address"),
                    "network_interfaces.associate_public_ip_address",
                );
            }
        }
        "aws_subnet" | "aws_default_subnet" => {
            flag(
                ctx,
                resource,
                v.get("map_public_ip_on_launch"),
                "map_public_ip_on_launch",
            );
        }
        "google_compute_instance"
        | "google_compute_instance_template"
        | "google_compute_region_instance_template" => {
            for nic in v.blocks("network_interface") {
                let access = nic.get("access_config");
                if access.is_unknown() {
                    report_unknown(ctx, resource, access, "network_interface.access_config");
                } else if !nic.blocks("access_config").is_empty() {
                    ctx.report_at(
                        resource,
                        access,
                        "network interface has an `access_config`, which gives the instance an external ip",
                    );
                }
            }
        }
        "aws_eip" => {
            for attribute in ["instance", "network_interface"] {
                attached(ctx, resource, v.get(attribute), attribute, "elastic ip");
            }
        }
        "aws_eip_association" => {
            for attribute in ["instance_id", "network_interface_id"] {
                attached(
                    ctx,
                    resource,
                    v.get(attribute),
                    attribute,
                    "elastic ip association",
                );
            }
        }
        "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set" => {
            for nic in v.blocks("network_interface") {
                for ip in nic.blocks("ip_configuration") {
                    let public = ip.get("public_ip_address");
                    if public.is_unknown() && resource.change().is_none() {
                        report_unknown(
                            ctx,
                            resource,
                            public,
                            "network_interface.ip_configuration.public_ip_address",
                        );
                    } else if !ip.blocks("public_ip_address").is_empty() {
                        ctx.report_at(
                            resource,
                            public,
                            "every instance gets a public ip: `network_interface.ip_configuration.public_ip_address` is set",
                        );
                    }
                }
            }
        }
        "azurerm_network_interface" => {
            for ip in v.blocks("ip_configuration") {
                let public = ip.get("public_ip_address_id");
                if public.is_unknown() && resource.change().is_none() {
                    report_unknown(
                        ctx,
                        resource,
                        public,
                        "ip_configuration.public_ip_address_id",
                    );
                } else if public.is_unknown() || public.as_str().is_some_and(|s| !s.is_empty()) {
                    // In a plan, an id known only after apply is a public ip created alongside.
                    ctx.report_at(
                        resource,
                        public,
                        "ip configuration attaches a public ip (`public_ip_address_id`)",
                    );
                }
            }
        }
        _ => {}
    }
}

fn flag(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, attribute: &str) {
    match value.is_true() {
        Tri::Yes => {
            ctx.report_at(resource, value, format!("`{attribute}` is `true`"));
        }
        // Unknown in a plan is how an unset computed attribute looks: the subnet decides.
        Tri::Unknown if resource.change().is_none() => {
            report_unknown(ctx, resource, value, attribute)
        }
        _ => {}
    }
}

fn report_unknown(
    ctx: &mut Context<'_>,
    resource: &Resource,
    value: ValueRef<'_>,
    attribute: &str,
) {
    ctx.report_at(
        resource,
        value,
        format!("`{attribute}` is known only after apply and may assign a public ip"),
    )
    .severity(Severity::Low);
}

/// An elastic IP (or its association) that names an instance or network interface gives that
/// instance a public address. An id known only after apply is still set: an instance or
/// interface created alongside.
fn attached(
    ctx: &mut Context<'_>,
    resource: &Resource,
    value: ValueRef<'_>,
    attribute: &str,
    what: &str,
) {
    if value.is_unknown() && resource.change().is_some() {
        // In a plan, an unset computed attribute is unknown too: only what the plan knows counts.
        return;
    }
    if value.is_unknown() || value.as_str().is_some_and(|s| !s.is_empty()) {
        ctx.report_at(
            resource,
            value,
            format!(
                "{what} attaches a public ip to an instance or network interface (`{attribute}`)"
            ),
        );
    }
}
